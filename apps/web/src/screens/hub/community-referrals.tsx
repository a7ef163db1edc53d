import { useState } from 'react';
import { api } from '../../api/client';
import { ActionError, useAction, type Action } from '../../components/action';
import { ErrorPanel, Tag, useLoad, useNow } from '../../components/common';
import { Button, Field, Select, Spinner, describedBy } from '../../components/forms';
import { P2_BED_CATEGORIES } from '../../domain/codes';
import { elapsedSince, formatInstant } from '../../domain/time';
import { useLiveView } from '../../live/live-context';
import { useReferenceData } from '../../reference-data';

/** Mirrored from libs/community-referrals/src/intermediate-care-referral.ts (the server checks again). */
const TRIAGE: Record<string, { label: string; reasons: readonly (readonly [string, string])[] }> = {
  'support-at-home': {
    label: 'Support at home (package)',
    reasons: [
      ['safe-at-home-with-support', 'Safe at home with support'],
      ['preferred-place-of-care-home', 'Preferred place of care: home'],
      ['reablement-at-home', 'Reablement at home'],
    ],
  },
  bed: {
    label: 'Bed (bed request)',
    reasons: [
      ['needs-24-hour-care', 'Needs 24-hour care'],
      ['preferred-place-of-care-bed', 'Preferred place of care: a bed'],
      ['carer-breakdown', 'Carer breakdown'],
      ['unsafe-at-home', 'Unsafe at home'],
    ],
  },
  signposted: {
    label: 'Signposted',
    reasons: [
      ['hospice-specialist-advice', 'Hospice specialist advice'],
      ['primary-care', 'Primary care'],
      ['voluntary-sector', 'Voluntary sector'],
      ['other-service', 'Another service'],
    ],
  },
  declined: {
    label: 'Declined',
    reasons: [
      ['does-not-meet-criteria', 'Does not meet the criteria'],
      ['needs-acute-admission', 'Needs an acute admission'],
      ['outside-hub-area', 'Outside the hub’s area'],
      ['duplicate-referral', 'Duplicate referral'],
      ['person-declined', 'The person declined'],
    ],
  },
};

interface ReferralRow {
  referralId: string;
  revision: number;
  status: 'submitted' | 'triaged' | 'active' | 'closed';
  lastChangedAt: string;
  response: { result: string; withinMinutes: number | null; minutesToRespond: number | null };
  facts: {
    kind: 'step-up' | 'end-of-life';
    source: string;
    area: string;
    ageBand: string;
    urgency: 'urgent' | 'routine';
    respondBy: string | null;
    submittedAt: string;
    triage: { outcome: string; reason: string } | null;
  };
}

const RESPONSE: Record<string, { text: string; tone: 'green' | 'red' | 'yellow' | 'grey' }> = {
  within: { text: 'Responded in time', tone: 'green' },
  over: { text: 'Responded late', tone: 'red' },
  overdue: { text: 'Response overdue', tone: 'red' },
  awaiting: { text: 'Awaiting response', tone: 'yellow' },
  'no-service-level': { text: 'No response target', tone: 'grey' },
};

/** The hub's queue of step-up and end-of-life referrals from the community, with triage. */
export function CommunityReferrals() {
  const list = useLoad(() => api.get<ReferralRow[]>('/api/community-referrals'), 'community-referrals');
  useLiveView('case-list', () => void list.reload());
  const action = useAction(() => list.reload());
  const now = useNow(30_000);
  const rows = [...(list.data ?? [])]
    .filter((r) => r.status !== 'closed')
    .sort((a, b) => a.facts.submittedAt.localeCompare(b.facts.submittedAt));
  return (
    <div>
      <h1>Community referrals</h1>
      <p className="lede">
        Step-up and end-of-life referrals from GPs, rapid response, community teams and hospices, oldest first.
      </p>
      {list.error ? <ErrorPanel error={list.error} /> : null}
      {!list.data && !list.error && <Spinner label="Loading community referrals" />}
      {list.data && rows.length === 0 && <p className="inset">No open community referrals.</p>}
      {rows.length > 0 && (
        <table className="table" data-testid="community-referrals">
          <caption className="visually-hidden">Open community referrals, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">Waiting</th>
              <th scope="col">Referral</th>
              <th scope="col">Response</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <ReferralRowView key={row.referralId} row={row} now={now} action={action} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function ReferralRowView({ row, now, action }: { row: ReferralRow; now: number; action: Action }) {
  const ref = useReferenceData();
  const [open, setOpen] = useState(false);
  const [outcome, setOutcome] = useState('');
  const [reason, setReason] = useState('');
  const [bedCategory, setBedCategory] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const key = `triage-${row.referralId}`;
  const id = (f: string) => `${f}-${row.referralId}`;
  const response = RESPONSE[row.response.result] ?? RESPONSE['no-service-level'];
  const submit = async () => {
    const found: Record<string, string> = {};
    if (!outcome) found.outcome = 'Choose the triage outcome';
    if (!reason) found.reason = 'Choose the reason';
    setErrors(found);
    if (Object.keys(found).length) return;
    const body = { outcome, reason, ...(outcome === 'bed' && bedCategory ? { bedCategory } : {}) };
    if (
      await action.run(key, () =>
        api.post(`/api/community-referrals/${encodeURIComponent(row.referralId)}/triage`, body, { ifMatch: row.revision }),
      )
    )
      setOpen(false);
  };
  return (
    <>
      <tr data-referral-id={row.referralId}>
        <td>
          {elapsedSince(row.facts.submittedAt, now)}
          <div className="hint">{formatInstant(row.facts.submittedAt)}</div>
        </td>
        <td>
          <Tag tone={row.facts.kind === 'end-of-life' ? 'purple' : 'blue'}>
            {row.facts.kind === 'end-of-life' ? 'End of life' : 'Step-up'}
          </Tag>{' '}
          {row.facts.urgency === 'urgent' && <Tag tone="red">Urgent</Tag>}
          <div className="hint">
            from {row.facts.source} · {ref.areas.find((a) => a.code === row.facts.area)?.name ?? row.facts.area} ·{' '}
            {row.facts.ageBand}
          </div>
        </td>
        <td>
          <Tag tone={response.tone}>{response.text}</Tag>
          {row.facts.respondBy && row.response.result === 'awaiting' && (
            <div className="hint">by {formatInstant(row.facts.respondBy)}</div>
          )}
        </td>
        <td>
          {row.status === 'submitted' ? 'Awaiting triage' : row.status === 'triaged' ? 'Triaged, awaiting care' : 'Care started'}
          {row.facts.triage && <div className="hint">{TRIAGE[row.facts.triage.outcome]?.label ?? row.facts.triage.outcome}</div>}
        </td>
        <td>
          {row.status === 'submitted' && !open && (
            <Button variant="secondary" onClick={() => setOpen(true)}>
              Triage…
            </Button>
          )}
        </td>
      </tr>
      {open && (
        <tr className="row--selected">
          <td colSpan={5}>
            <div className="confirm confirm--neutral" role="group" aria-label="Triage this referral">
              <div className="inline-form">
                <Field id={id('outcome')} label="Outcome" error={errors.outcome}>
                  <Select
                    id={id('outcome')}
                    value={outcome}
                    onChange={(v) => {
                      setOutcome(v);
                      setReason('');
                    }}
                    placeholder="Choose"
                    options={Object.entries(TRIAGE).map(([code, t]) => [code, t.label] as const)}
                    aria-invalid={!!errors.outcome || undefined}
                    aria-describedby={describedBy(id('outcome'), { error: errors.outcome })}
                  />
                </Field>
                <Field id={id('reason')} label="Reason" error={errors.reason}>
                  <Select
                    id={id('reason')}
                    value={reason}
                    onChange={setReason}
                    placeholder={outcome ? 'Choose' : 'Choose an outcome first'}
                    options={outcome ? TRIAGE[outcome].reasons : []}
                    disabled={!outcome}
                    aria-invalid={!!errors.reason || undefined}
                    aria-describedby={describedBy(id('reason'), { error: errors.reason })}
                  />
                </Field>
                {outcome === 'bed' && (
                  <Field id={id('bedCategory')} label="Bed category (optional)">
                    <Select
                      id={id('bedCategory')}
                      value={bedCategory}
                      onChange={setBedCategory}
                      placeholder="Default"
                      options={P2_BED_CATEGORIES}
                    />
                  </Field>
                )}
                <Button busy={action.busy === key} busyLabel="Saving" onClick={() => void submit()}>
                  Record triage
                </Button>
                <Button variant="secondary" onClick={() => setOpen(false)}>
                  Cancel
                </Button>
              </div>
              <ActionError action={action} item={key} />
            </div>
          </td>
        </tr>
      )}
    </>
  );
}
