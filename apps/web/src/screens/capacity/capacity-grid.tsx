import type { CapacityCell, PooledWorkforce, ProviderCapacity } from '../../api/types';
import { Tag } from '../../components/common';
import { hours, shortDay } from '../../domain/capacity-codes';
import { formatDate } from '../../domain/time';
import { useReferenceData } from '../../reference-data';

export function WorkforceFlag({ workforce, riskPercent = 10 }: { workforce: PooledWorkforce; riskPercent?: number }) {
  if (workforce.percent === null) return <span className="hint">No staffing figures</span>;
  return workforce.atRisk ? (
    <Tag tone="red">
      {workforce.percent.toFixed(1)}% absent (over {riskPercent}%)
    </Tag>
  ) : (
    <span className="hint">{workforce.percent.toFixed(1)}% absent</span>
  );
}

function Cell({ cell }: { cell: CapacityCell }) {
  if (!cell.returned)
    return (
      <td className="grid__cell--none">
        <span className="visually-hidden">No return</span>
        <span aria-hidden="true">–</span>
      </td>
    );
  const classes = [cell.freeHours < 0 ? 'grid__cell--short' : '', cell.workforceAtRisk ? 'grid__cell--risk' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <td className={classes || undefined} data-date={cell.date}>
      <span className="grid__free">{hours(cell.freeHours)}</span>
      <span className="grid__detail">
        of {hours(cell.declaredHours)} · H {hours(cell.heldHours)} · C {hours(cell.committedHours)}
      </span>
      <span className="grid__detail">
        {cell.freePackages}/{cell.declaredPackages} pkg
        {cell.workforceAtRisk && cell.workforceAbsencePercent !== null ? ` · ${cell.workforceAbsencePercent}% absent` : ''}
      </span>
    </td>
  );
}

/**
 * Provider × locality × day: free hours a week (declared − held − committed) large, with declared, held (H),
 * committed (C) and free/declared packages under it. Scrolls sideways on its own, so the page never does.
 */
export function CapacityGrid({
  dates,
  providers,
  totals,
  caption,
  showProvider = true,
}: {
  dates: string[];
  providers: ProviderCapacity[];
  totals?: { locality: string; days: { date: string; freeHours: number; declaredHours: number; providersReturned: number }[] }[];
  caption: string;
  showProvider?: boolean;
}) {
  const ref = useReferenceData();
  const areaName = (code: string) => ref.areas.find((a) => a.code === code)?.name ?? code;
  return (
    <div className="scroll" tabIndex={0} role="region" aria-label={`${caption} (scrolls sideways)`}>
      <table className="grid" data-testid="capacity-grid">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{showProvider ? 'Provider · locality' : 'Locality'}</th>
            {dates.map((date, i) => (
              <th scope="col" key={date} title={formatDate(date)}>
                {i === 0 ? 'Today' : shortDay(date)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {providers.flatMap((provider) =>
            provider.localities.map((row, i) => (
              <tr
                key={`${provider.providerId}.${row.locality}`}
                data-provider-id={provider.providerId}
                data-locality={row.locality}
              >
                <th scope="row">
                  {showProvider && i === 0 && (
                    <>
                      <strong>{provider.name.replace(/ \(illustrative\)$/, '')}</strong>
                      {provider.status === 'suspended' && (
                        <>
                          {' '}
                          <Tag tone="grey">Suspended</Tag>
                        </>
                      )}
                      <div>
                        <WorkforceFlag workforce={provider.workforce} />
                      </div>
                    </>
                  )}
                  <div>{areaName(row.locality)}</div>
                </th>
                {row.days.map((cell) => (
                  <Cell key={cell.date} cell={cell} />
                ))}
              </tr>
            )),
          )}
          {totals?.map((row) => (
            <tr key={`total.${row.locality}`} className="grid__total">
              <th scope="row">All providers · {areaName(row.locality)}</th>
              {row.days.map((day) => (
                <td key={day.date}>
                  <span className="grid__free">{hours(day.freeHours)}</span>
                  <span className="grid__detail">
                    of {hours(day.declaredHours)} · {day.providersReturned} returned
                  </span>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
