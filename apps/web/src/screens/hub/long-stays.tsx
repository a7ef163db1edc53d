import { useMemo } from 'react';
import { endpoints } from '../../api/endpoints';
import { ErrorPanel, Tag, useLoad } from '../../components/common';
import { Spinner } from '../../components/forms';
import { formatInstant } from '../../domain/time';
import { useLiveView } from '../../live/live-context';
import { Link } from '../../router';

/** Stays of 21 days and more, longest first: the list for the weekly long-length-of-stay meeting. */
export function LongStays() {
  const stays = useLoad(endpoints.longStays, 'long-stays');
  const cases = useLoad(() => endpoints.cases(), 'long-stay-cases');
  useLiveView('bed-board', () => void stays.reload());
  const names = useMemo(
    () => new Map((cases.data ?? []).map((c) => [c.caseId, c.person?.name ?? 'Identity erased'])),
    [cases.data],
  );
  return (
    <div>
      <h1>Long stays</h1>
      <p className="lede">People in an intermediate-care bed for 21 days or more (London calendar days), longest first.</p>
      {stays.error ? <ErrorPanel error={stays.error} /> : null}
      {!stays.data && !stays.error && <Spinner label="Loading long stays" />}
      {stays.data && stays.data.length === 0 && <p className="inset">Nobody has been in a bed for 21 days or more.</p>}
      {stays.data && stays.data.length > 0 && (
        <table className="table" data-testid="long-stays">
          <caption className="visually-hidden">Stays of 21 days and more</caption>
          <thead>
            <tr>
              <th scope="col" className="numeric">
                Days
              </th>
              <th scope="col">Person</th>
              <th scope="col">Bed</th>
              <th scope="col">Admitted</th>
            </tr>
          </thead>
          <tbody>
            {stays.data.map((stay) => (
              <tr key={stay.bedId}>
                <td className="numeric">
                  <Tag tone={stay.days >= 42 ? 'red' : 'yellow'}>{stay.days}</Tag>
                </td>
                <td>
                  <Link to={`/cases/${stay.caseId}`}>{names.get(stay.caseId) ?? 'Person'}</Link>
                </td>
                <td>
                  {stay.label}
                  <div className="hint">{stay.siteName}</div>
                </td>
                <td>{formatInstant(stay.admittedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
