import { useState } from 'react';
import type { CaseView } from '../../api/types';
import { Tag } from '../../components/common';
import { Button, describedBy, Field, Select } from '../../components/forms';
import { formatDate, formatInstant, londonToday } from '../../domain/time';
import { delayReasonLabel, useReferenceData } from '../../reference-data';
import { CommandProblem, useCommand } from './use-command';

interface PanelProps {
  view: CaseView;
  refresh: () => Promise<void>;
}

/** Criteria to reside: not met from a date (that date is the DRD), or met again. */
export function CriteriaToResidePanel({ view, refresh }: PanelProps) {
  const command = useCommand(view.caseId, view.revision, refresh);
  const [date, setDate] = useState(londonToday());
  const nctr = view.facts.nctrFrom;
  const field = nctr ? 'on' : 'from';
  const id = `ctr-${field}`;
  const error = command.fieldError(field);
  return (
    <section className="panel" aria-labelledby="ctr-heading">
      <h2 id="ctr-heading">Criteria to reside</h2>
      <p data-testid="ctr-state">
        {nctr ? (
          <>
            <Tag tone="yellow">No criteria to reside</Tag> since {formatDate(nctr)}, the discharge ready date.
          </>
        ) : (
          <>
            <Tag tone="grey">Meets criteria to reside</Tag>
            {view.facts.lastMetAgainOn && <> (again since {formatDate(view.facts.lastMetAgainOn)})</>}
          </>
        )}
      </p>
      <CommandProblem command={command} />
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void command.run({
            action: nctr ? 'criteria-to-reside/met-again' : 'criteria-to-reside/not-met',
            body: { [field]: date },
          });
        }}
      >
        <Field id={id} label={nctr ? 'Meets the criteria again on' : 'No longer meets the criteria from'} error={error}>
          <input
            id={id}
            type="date"
            className="input"
            value={date}
            max={londonToday()}
            onChange={(e) => setDate(e.target.value)}
            aria-describedby={describedBy(id, { error })}
          />
        </Field>
        <Button type="submit" variant="secondary" busy={command.busy} busyLabel="Saving">
          {nctr ? 'Record: meets criteria again' : 'Record: no longer meets criteria'}
        </Button>
      </form>
    </section>
  );
}

/** Open delays with the primary one marked; open, close or make primary. */
export function DelaysPanel({ view, refresh }: PanelProps) {
  const ref = useReferenceData();
  const command = useCommand(view.caseId, view.revision, refresh);
  const [reason, setReason] = useState('');
  const [makePrimary, setMakePrimary] = useState(false);
  const current = ref.delayReasons.versions.find((v) => v.version === ref.delayReasons.current);
  const options = (current?.reasons ?? []).map(
    (r) => [r.code, `${ref.delayReasons.families.find((f) => f.code === r.family)?.label ?? r.family}: ${r.label}`] as const,
  );
  const delays = view.facts.delays;
  const reasonError = command.fieldError('reasonCode');
  return (
    <section className="panel" aria-labelledby="delays-heading">
      <h2 id="delays-heading">Delays</h2>
      {!view.facts.nctrFrom && (
        <p className="hint">Delays can be recorded once the person no longer meets the criteria to reside.</p>
      )}
      <CommandProblem command={command} />
      {delays.length === 0 ? (
        <p>No open delays.</p>
      ) : (
        <ul className="delay-list" data-testid="delay-list">
          {delays.map((delay) => (
            <li key={delay.delayId} className={`delay${delay.primary ? ' delay--primary' : ''}`}>
              <div>
                {delay.primary && <Tag tone="purple">Primary</Tag>} {delayReasonLabel(ref, delay.reasonCode, delay.reasonVersion)}{' '}
                <span className="hint">
                  ({delay.reasonCode}, since {formatInstant(delay.openedAt)})
                </span>
              </div>
              <div className="actions">
                {!delay.primary && (
                  <Button
                    variant="secondary"
                    busy={command.busy}
                    onClick={() => void command.run({ action: `delays/${delay.delayId}/primary` })}
                  >
                    Make primary
                  </Button>
                )}
                <Button
                  variant="secondary"
                  busy={command.busy}
                  onClick={() => {
                    const next = delay.primary ? delays.find((d) => d.delayId !== delay.delayId) : undefined;
                    void command.run({
                      action: `delays/${delay.delayId}/close`,
                      body: next ? { nextPrimaryDelayId: next.delayId } : {},
                    });
                  }}
                >
                  Close
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!reason) return;
          void command
            .run({ action: 'delays', body: { reasonCode: reason, ...(makePrimary ? { makePrimary: true } : {}) } })
            .then((ok) => {
              if (ok) {
                setReason('');
                setMakePrimary(false);
              }
            });
        }}
      >
        <Field id="delay-reason" label={`Open a delay (reason list ${ref.delayReasons.current})`} error={reasonError}>
          <Select id="delay-reason" value={reason} onChange={setReason} options={options} placeholder="Choose a reason" />
        </Field>
        {delays.length > 0 && (
          <div className="checkboxes__item">
            <input
              className="checkboxes__input"
              type="checkbox"
              id="delay-primary"
              checked={makePrimary}
              onChange={(e) => setMakePrimary(e.target.checked)}
            />
            <label className="checkboxes__label" htmlFor="delay-primary">
              Make it the primary delay
            </label>
          </div>
        )}
        <Button type="submit" variant="secondary" busy={command.busy} busyLabel="Saving" disabled={!reason}>
          Open delay
        </Button>
      </form>
    </section>
  );
}
