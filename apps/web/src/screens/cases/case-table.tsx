import type { CaseListRow } from '../../api/types';
import { Tag } from '../../components/common';
import { PATHWAY_SHORT, STATUS_LABELS } from '../../domain/codes';
import { formatNhsNumber } from '../../domain/nhs-number';
import { elapsedSince, formatDate } from '../../domain/time';
import { Link } from '../../router';

export const STATUS_TONE = {
  referred: 'yellow',
  accepted: 'blue',
  returned: 'grey',
  withdrawn: 'grey',
  discharged: 'green',
} as const;

/** Cases as a table; the link goes to /cases/<id> (an id, never a name, in the URL). */
export function CaseTable({ rows, now, caption }: { rows: CaseListRow[]; now: number; caption: string }) {
  if (rows.length === 0) return <p className="inset">No cases.</p>;
  return (
    <table className="table" data-testid="case-table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Person</th>
          <th scope="col">Status</th>
          <th scope="col">Pathway</th>
          <th scope="col">Discharge ready</th>
          <th scope="col">Referred</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.caseId}>
            <td>
              <Link to={`/cases/${row.caseId}`}>{row.person?.name ?? 'Identity erased'}</Link>
              <div className="hint">
                {row.person?.nhsNumber ? formatNhsNumber(row.person.nhsNumber) : row.person ? 'No NHS number (untraced)' : ''} ·{' '}
                {row.facts.hospital} · {row.facts.ageBand}
              </div>
            </td>
            <td>
              <Tag tone={STATUS_TONE[row.status]}>{STATUS_LABELS[row.status]}</Tag>
            </td>
            <td>{row.facts.plan ? PATHWAY_SHORT[row.facts.plan.pathway] : '—'}</td>
            <td>{row.facts.nctrFrom ? formatDate(row.facts.nctrFrom) : 'Meets CTR'}</td>
            <td>{elapsedSince(row.facts.submittedAt, now)} ago</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
