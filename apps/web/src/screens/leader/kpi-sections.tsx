import type { ReactNode } from 'react';
import { endpoints } from '../../api/endpoints';
import type { Cell, KpiWindowName, Kpis, Pathway } from '../../api/types';
import { ErrorPanel, Tag, useLoad } from '../../components/common';
import { Spinner } from '../../components/forms';
import { hours, shortDay } from '../../domain/capacity-codes';
import { formatDate, formatInstant } from '../../domain/time';
import { useLiveView } from '../../live/live-context';
import { delayReasonLabel, useReferenceData } from '../../reference-data';
import { Link } from '../../router';
import { BedCountsTable } from './bed-summary';
import { formatCount, formatShare } from './kpi';

/** Anchors on the definitions page for the API's KPI definitions (GET /api/hub/kpis/definitions). */
export const kpiDefinition = (id: string) => `/definitions#kpi-${id}`;

const WINDOWS: { key: KpiWindowName; label: string }[] = [
  { key: 'today', label: 'Today' },
  { key: 'last7Days', label: 'Last 7 days' },
  { key: 'monthToDate', label: 'Month to date' },
  { key: 'rolling28Days', label: 'Rolling 28 days' },
];
const PATHWAYS: Pathway[] = [0, 1, 2, 3];
const WAIT_BUCKETS = ['0', '1', '2-3', '4-6', '7-13', '14-20', '21+'];

function Fig({ to, children, testId, label }: { to: string; children: ReactNode; testId?: string; label?: string }) {
  return (
    <Link to={to} className="figure-link" data-testid={testId} aria-label={label}>
      {children}
    </Link>
  );
}

/**
 * The rest of the leader's figures from GET /api/hub/kpis: every count of people arrives already suppressed for
 * a leader ("suppressed", shown as "<5") and no share is worked out here from a suppressed count.
 */
export function KpiSections() {
  const kpis = useLoad(endpoints.kpis, 'kpis');
  useLiveView('kpis', () => void kpis.reload());
  // Until the hub serves a kpis room, a change to the shares is also a reason to look again.
  useLiveView('pathway-shares', () => void kpis.reload());
  const ref = useReferenceData();
  if (kpis.error && !kpis.data) return <ErrorPanel error={kpis.error} />;
  if (!kpis.data) return <Spinner label="Loading the other measures" />;
  const data: Kpis = kpis.data;
  const threshold = data.suppression?.threshold ?? ref.leaderViews.smallCountSuppressionThreshold;
  const count = (c: Cell) => formatCount(c, threshold);

  return (
    <>
      <section aria-labelledby="trend-heading" className="section">
        <h2 id="trend-heading">Discharges over time</h2>
        <p className="hint">
          The hub reports windows ending today, not daily figures: today against the last 7 days, month to date and the rolling 28
          days.
        </p>
        <div className="scroll" tabIndex={0} role="region" aria-label="Discharges by pathway per window">
          <table className="table table--compact" data-testid="trend">
            <caption className="visually-hidden">Share (count) of discharges by pathway, per window</caption>
            <thead>
              <tr>
                <th scope="col">Window</th>
                {PATHWAYS.map((p) => (
                  <th scope="col" className="numeric" key={p}>
                    P{p}
                  </th>
                ))}
                <th scope="col" className="numeric">
                  All
                </th>
              </tr>
            </thead>
            <tbody>
              {WINDOWS.map(({ key, label }) => {
                const w = data.dischargesByPathway[key];
                return (
                  <tr key={key}>
                    <th scope="row">
                      {label}
                      <div className="hint">
                        {w.window.firstDate === w.window.lastDate
                          ? formatDate(w.window.lastDate)
                          : `${formatDate(w.window.firstDate)} – ${formatDate(w.window.lastDate)}`}
                      </div>
                    </th>
                    {PATHWAYS.map((p) => (
                      <td className="numeric" key={p}>
                        <Fig
                          to={kpiDefinition('discharges-by-pathway')}
                          testId={`trend-${key}-p${p}`}
                          label={`P${p} ${label}: ${formatShare(w.shares[p])}, ${count(w.counts[p])} discharges. Definition.`}
                        >
                          {formatShare(w.shares[p])} <span className="figure-link__count">({count(w.counts[p])})</span>
                        </Fig>
                      </td>
                    ))}
                    <td className="numeric">
                      <Fig to={kpiDefinition('discharges-by-pathway')}>{count(w.total)}</Fig>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="nctr-heading" className="section">
        <h2 id="nctr-heading">
          People with no criteria to reside:{' '}
          <Fig to={kpiDefinition('nctr-now')} testId="nctr-total">
            {count(data.nctrNow.total)}
          </Fig>
        </h2>
        <div className="kpi-grid">
          <div className="card">
            <h3 className="card__heading">By primary delay reason</h3>
            {Object.keys(data.nctrNow.byPrimaryReason).length === 0 ? (
              <p className="hint">Nobody is delayed with a recorded reason.</p>
            ) : (
              <table className="table table--compact" data-testid="nctr-by-reason">
                <caption className="visually-hidden">NCTR now by primary delay reason</caption>
                <tbody>
                  {Object.entries(data.nctrNow.byPrimaryReason).map(([code, c]) => (
                    <tr key={code}>
                      <th scope="row">{delayReasonLabel(ref, code)}</th>
                      <td className="numeric">
                        <Fig to={kpiDefinition('nctr-now')}>{count(c)}</Fig>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
          <div className="card">
            <h3 className="card__heading">By days waiting since the discharge-ready date</h3>
            <table className="table table--compact" data-testid="nctr-by-wait">
              <caption className="visually-hidden">NCTR now by days waiting</caption>
              <tbody>
                {WAIT_BUCKETS.filter((b) => b in data.nctrNow.byDaysWaiting).map((bucket) => (
                  <tr key={bucket}>
                    <th scope="row">
                      {bucket} {bucket === '1' ? 'day' : 'days'}
                    </th>
                    <td className="numeric">
                      <Fig to={kpiDefinition('nctr-now')}>{count(data.nctrNow.byDaysWaiting[bucket])}</Fig>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </section>

      {data.d2a && (
        <section aria-labelledby="d2a-heading" className="section">
          <h2 id="d2a-heading">D2A home care: capacity against demand</h2>
          <div className="kpi-grid">
            <div className="card">
              <h3 className="card__heading">Demand</h3>
              <dl className="summary-list" data-testid="d2a-demand">
                <div>
                  <dt>People waiting for a package</dt>
                  <dd>
                    <Fig to={kpiDefinition('d2a-waiting')}>{count(data.d2a.waiting.total)}</Fig>
                  </dd>
                </div>
                <div>
                  <dt>Awaiting placement</dt>
                  <dd>
                    <Fig to={kpiDefinition('d2a-waiting')}>{count(data.d2a.waiting.awaitingPlacement)}</Fig>
                  </dd>
                </div>
                <div>
                  <dt>Placed, not started</dt>
                  <dd>
                    <Fig to={kpiDefinition('d2a-waiting')}>{count(data.d2a.waiting.placedNotStarted)}</Fig>
                  </dd>
                </div>
                <div>
                  <dt>Longest wait (days)</dt>
                  <dd>
                    <Fig to={kpiDefinition('d2a-waiting')}>
                      {data.d2a.waiting.longestDays === 'suppressed' ? 'suppressed' : data.d2a.waiting.longestDays}
                    </Fig>
                  </dd>
                </div>
              </dl>
            </div>
            <div className="card">
              <h3 className="card__heading">Workforce today</h3>
              <p>
                <Fig to={kpiDefinition('d2a-workforce')} testId="d2a-workforce">
                  {data.d2a.workforce.system.percent === null
                    ? 'No staffing figures'
                    : `${data.d2a.workforce.system.percent.toFixed(1)}% absent`}
                </Fig>{' '}
                {data.d2a.workforce.system.atRisk && <Tag tone="red">Over {data.d2a.workforce.riskPercent}%</Tag>}
              </p>
              <p className="hint">
                Pooled over providers that gave staffing figures; {data.d2a.workforce.providersAtRisk.length} provider
                {data.d2a.workforce.providersAtRisk.length === 1 ? '' : 's'} over {data.d2a.workforce.riskPercent}%.
              </p>
            </div>
          </div>
          <div className="scroll" tabIndex={0} role="region" aria-label="D2A capacity by day (scrolls sideways)">
            <table className="grid" data-testid="d2a-capacity">
              <caption className="visually-hidden">Home-care hours a week by day: declared, held, committed and free</caption>
              <thead>
                <tr>
                  <th scope="col">
                    <Link to={kpiDefinition('d2a-capacity')}>Hours a week</Link>
                  </th>
                  {data.d2a.capacity.total.map((d, i) => (
                    <th scope="col" key={d.date} title={formatDate(d.date)}>
                      {i === 0 ? 'Today' : shortDay(d.date)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {(['declaredHours', 'heldHours', 'committedHours', 'freeHours'] as const).map((field) => (
                  <tr key={field}>
                    <th scope="row">
                      {{ declaredHours: 'Declared', heldHours: 'Held', committedHours: 'Committed', freeHours: 'Free' }[field]}
                    </th>
                    {data.d2a!.capacity.total.map((d) => (
                      <td key={d.date} className={field === 'freeHours' && d.freeHours < 0 ? 'grid__cell--short' : undefined}>
                        {field === 'freeHours' ? <strong>{hours(d[field])}</strong> : hours(d[field])}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="hint">{data.d2a.capacity.rule}. Hours are not people: they are never suppressed.</p>
        </section>
      )}

      {data.bedBase && (
        <section aria-labelledby="bedbase-heading" className="section">
          <h2 id="bedbase-heading">Bed base</h2>
          <div className="kpi-grid">
            <div className="card">
              <h3 className="card__heading">
                <Link to={kpiDefinition('bed-occupancy')}>Occupancy</Link>
              </h3>
              <p className="big-number" data-testid="bed-occupancy">
                {data.bedBase.beds.total.occupancy === null ? '—' : `${data.bedBase.beds.total.occupancy.toFixed(1)}%`}
              </p>
              <p className="hint">
                {data.bedBase.beds.total.available} of {data.bedBase.beds.total.commissioned} beds available
              </p>
            </div>
            <div className="card">
              <h3 className="card__heading">
                <Link to={kpiDefinition('long-stays')}>Long stays ({data.bedBase.longStays.thresholdDays}+ days)</Link>
              </h3>
              <p className="big-number" data-testid="long-stays-count">
                {count(data.bedBase.longStays.count)}
              </p>
            </div>
            <div className="card">
              <h3 className="card__heading">
                <Link to={kpiDefinition('bed-based-ic-start')}>Bed started within 2 days, month to date</Link>
              </h3>
              <p className="big-number" data-testid="bed-start">
                {formatShare(data.bedBase.bedStart.monthToDate.share)}
              </p>
              <p className="hint">
                {count(data.bedBase.bedStart.monthToDate.withinLimit)} of {count(data.bedBase.bedStart.monthToDate.measured)};
                waiting now {count(data.bedBase.bedStart.monthToDate.waiting)}; open requests{' '}
                {count(data.bedBase.openRequests.total)}
              </p>
            </div>
          </div>
          <div className="scroll" tabIndex={0} role="region" aria-label="Bed base by tier">
            <BedCountsTable summary={{ ...data.bedBase.beds }} caption={`By tier, at ${formatInstant(data.bedBase.at)}`} />
          </div>
        </section>
      )}

      <section aria-labelledby="ascof-heading" className="section">
        <h2 id="ascof-heading">
          <Link to={kpiDefinition('ascof-2b1')}>ASCOF 2B(1)</Link>: still at home 91 days after discharge
        </h2>
        <div className="kpi-grid">
          <div className="card">
            <p className="big-number" data-testid="ascof-rate">
              <Fig to={kpiDefinition('ascof-2b1')}>{formatShare(data.ascof2b1.rate)}</Fig>
            </p>
            <p className="hint">
              Cohort discharged {formatDate(data.ascof2b1.cohort.from)} to {formatDate(data.ascof2b1.cohort.to)}: at home{' '}
              {count(data.ascof2b1.atHome)} of {count(data.ascof2b1.followedUp)} followed up ({count(data.ascof2b1.cohortSize)} in
              the cohort).
            </p>
          </div>
          <div className="card">
            <dl className="summary-list">
              <div>
                <dt>Follow-ups due, not yet recorded</dt>
                <dd>{count(data.ascof2b1.pending)}</dd>
              </div>
              <div>
                <dt>Overdue</dt>
                <dd>{count(data.ascof2b1.overdue)}</dd>
              </div>
            </dl>
          </div>
        </div>
      </section>
      <p className="hint">
        Counts of people from 1 to {threshold - 1} show as “&lt;{threshold}”, and any share, mean or rate computed from one as
        “suppressed” (<Link to="/definitions#suppression">small-count suppression</Link>).
      </p>
    </>
  );
}
