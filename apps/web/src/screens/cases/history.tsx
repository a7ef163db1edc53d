import type { CaseView, HistoryEntry } from '../../api/types';
import { EVENT_LABELS } from '../../domain/codes';
import { formatInstant } from '../../domain/time';
import { delayReasonLabel, useReferenceData } from '../../reference-data';

/** Coded facts worth showing for an event; ids, timestamps and nested needs are left out. */
function details(entry: HistoryEntry, reasonLabel: (code: string, version?: string) => string): string {
  const d = entry.data;
  switch (entry.type) {
    case 'ReferralSubmitted':
      return `Ward ${String(d.ward)}, proposed P${String(d.proposedPathway)}`;
    case 'ReferralReturned':
    case 'CaseWithdrawn':
      return `Reason: ${String(d.reason)}`;
    case 'CriteriaToResideNotMet':
      return `From ${String(d.from)} (DRD)`;
    case 'CriteriaToResideMetAgain':
      return `On ${String(d.on)}`;
    case 'PathwayAssigned':
      return `P${String(d.pathway)}${d.previousPathway !== null && d.previousPathway !== undefined ? ` (was P${String(d.previousPathway)})` : ''}, ${String(d.reason)}`;
    case 'DelayOpened':
      return `${reasonLabel(String(d.reasonCode), String(d.reasonVersion))}${d.primary ? ' · primary' : ''}`;
    case 'DelayClosed':
      return `Closed: ${String(d.closure)}`;
    case 'PatientDischarged':
      return `P${String(d.pathway)} to destination ${String(d.destination)}, ${String(d.delayDays)} day(s) after the DRD`;
    case 'NinetyOneDayFollowUpRecorded':
      return `Result: ${String(d.result)}`;
    default:
      return '';
  }
}

export function History({ view }: { view: CaseView }) {
  const ref = useReferenceData();
  const label = (code: string, version?: string) => delayReasonLabel(ref, code, version);
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      <ol className="timeline" data-testid="history">
        {[...view.history].reverse().map((entry) => (
          <li key={entry.revision} className="timeline__item">
            <div className="timeline__title">{EVENT_LABELS[entry.type] ?? entry.type}</div>
            <div className="hint">
              {formatInstant(entry.occurredAt)} · {entry.by.userId} ({entry.by.role})
            </div>
            {details(entry, label) && <div>{details(entry, label)}</div>}
            {entry.note && <blockquote className="timeline__note">{entry.note}</blockquote>}
            {entry.note === null && <div className="hint">Note erased with the identity</div>}
          </li>
        ))}
      </ol>
    </section>
  );
}
