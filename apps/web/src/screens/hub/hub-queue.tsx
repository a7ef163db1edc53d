import { useState } from 'react';
import { ApiError } from '../../api/client';
import { endpoints } from '../../api/endpoints';
import { ErrorPanel, Tag, useLoad, useNow } from '../../components/common';
import { Button, Spinner } from '../../components/forms';
import { PATHWAY_SHORT } from '../../domain/codes';
import { elapsedSince, formatInstant } from '../../domain/time';
import { formatNhsNumber } from '../../domain/nhs-number';
import { useLiveView } from '../../live/live-context';
import { Link } from '../../router';
import { CaseTable } from '../cases/case-table';

const ACCEPT_WITHIN_MINUTES = 15;

/** The hub's referral queue (oldest first, with time since referral), or every case. */
export function HubQueue({ mode }: { mode: 'queue' | 'all' }) {
  const cases = useLoad(() => (mode === 'queue' ? endpoints.cases({ status: 'referred' }) : endpoints.cases()), `hub-${mode}`);
  useLiveView('case-list', () => void cases.reload());
  const now = useNow(15_000);
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const accept = async (caseId: string, revision: number) => {
    setBusy(caseId);
    setProblem(null);
    try {
      await endpoints.command(caseId, 'accept', {}, revision);
      await cases.reload();
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : 'Could not accept the referral');
    } finally {
      setBusy(null);
    }
  };

  if (mode === 'all') {
    return (
      <div>
        <h1>All cases</h1>
        {cases.error ? <ErrorPanel error={cases.error} /> : null}
        {!cases.data && !cases.error && <Spinner label="Loading cases" />}
        {cases.data && <CaseTable rows={cases.data} now={now} caption="All cases" />}
      </div>
    );
  }

  const rows = [...(cases.data ?? [])].sort((a, b) => a.facts.submittedAt.localeCompare(b.facts.submittedAt));
  return (
    <div>
      <h1>Referral queue</h1>
      <p className="lede">
        Referrals waiting for the hub, oldest first. Service level: accepted within {ACCEPT_WITHIN_MINUTES} minutes.
      </p>
      {problem && (
        <div className="error-summary" role="alert">
          <p>{problem}</p>
        </div>
      )}
      {cases.error ? <ErrorPanel error={cases.error} /> : null}
      {!cases.data && !cases.error && <Spinner label="Loading the queue" />}
      {cases.data && rows.length === 0 && <p className="inset">No referrals are waiting.</p>}
      {rows.length > 0 && (
        <table className="table" data-testid="referral-queue">
          <caption className="visually-hidden">Referrals waiting for the hub</caption>
          <thead>
            <tr>
              <th scope="col">Waiting</th>
              <th scope="col">Person</th>
              <th scope="col">From</th>
              <th scope="col">Proposed</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const minutes = (now - new Date(row.facts.submittedAt).getTime()) / 60_000;
              return (
                <tr key={row.caseId} data-case-id={row.caseId}>
                  <td>
                    <Tag tone={minutes > ACCEPT_WITHIN_MINUTES ? 'red' : 'green'}>{elapsedSince(row.facts.submittedAt, now)}</Tag>
                    <div className="hint">{formatInstant(row.facts.submittedAt)}</div>
                  </td>
                  <td>
                    <Link to={`/cases/${row.caseId}`}>{row.person?.name ?? 'Identity erased'}</Link>
                    <div className="hint">
                      {row.person?.nhsNumber ? formatNhsNumber(row.person.nhsNumber) : 'No NHS number'} · {row.facts.ageBand}
                    </div>
                  </td>
                  <td>{row.facts.hospital}</td>
                  <td>{row.facts.plan ? PATHWAY_SHORT[row.facts.plan.pathway] : '—'}</td>
                  <td className="actions">
                    <Button
                      onClick={() => void accept(row.caseId, row.revision)}
                      busy={busy === row.caseId}
                      busyLabel="Accepting"
                    >
                      Accept
                    </Button>
                    <Link to={`/cases/${row.caseId}#return`} className="button button--secondary">
                      Return…
                    </Link>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
