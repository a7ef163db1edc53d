import type { BedBaseSummary, BedCounts } from '../../api/types';
import { BED_CATEGORY_LABELS } from '../../domain/capacity-codes';
import { endpoints } from '../../api/endpoints';
import { ErrorPanel, useLoad } from '../../components/common';
import { Spinner } from '../../components/forms';
import { useLiveView } from '../../live/live-context';
import { useReferenceData } from '../../reference-data';
import { Link } from '../../router';

const occupancy = (c: BedCounts) => (c.occupancy === null ? '—' : `${c.occupancy.toFixed(1)}%`);

/** Bed counts by tier (and by site): beds, not people, so nothing is suppressed. */
export function BedCountsTable({
  summary,
  caption,
  by = 'tier',
}: {
  summary: Pick<BedBaseSummary, 'total' | 'byTier' | 'bySite' | 'byArea' | 'byCategory'>;
  caption: string;
  by?: 'tier' | 'site' | 'area' | 'category';
}) {
  const ref = useReferenceData();
  const tierLabel = (tier: string) => ref.hierarchyOfUse.find((t) => String(t.tier) === tier)?.label ?? `Tier ${tier}`;
  const rows: [string, BedCounts][] =
    by === 'tier'
      ? Object.entries(summary.byTier).map(([k, v]) => [`${k}. ${tierLabel(k)}`, v])
      : by === 'site'
        ? Object.values(summary.bySite).map((v) => [v.name, v])
        : by === 'area'
          ? Object.entries(summary.byArea).map(([k, v]) => [ref.areas.find((a) => a.code === k)?.name ?? k, v])
          : Object.entries(summary.byCategory).map(([k, v]) => [BED_CATEGORY_LABELS[k] ?? k, v]);
  const def = (text: string) => <Link to="/definitions#kpi-bed-base-counts">{text}</Link>;
  return (
    <table className="table table--compact" data-testid={`bed-summary-${by}`}>
      <caption className="caption">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{by === 'tier' ? 'Tier' : by === 'site' ? 'Site' : by === 'area' ? 'Area' : 'Category'}</th>
          <th scope="col" className="numeric">
            {def('Commissioned')}
          </th>
          <th scope="col" className="numeric">
            {def('Open')}
          </th>
          <th scope="col" className="numeric">
            {def('Available')}
          </th>
          <th scope="col" className="numeric">
            {def('Reserved')}
          </th>
          <th scope="col" className="numeric">
            {def('Occupied')}
          </th>
          <th scope="col" className="numeric">
            {def('Closed')}
          </th>
          <th scope="col" className="numeric">
            <Link to="/definitions#kpi-bed-occupancy">Occupancy</Link>
          </th>
        </tr>
      </thead>
      <tbody>
        {[...rows, ['All beds', summary.total] as [string, BedCounts]].map(([label, c]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td className="numeric">{c.commissioned}</td>
            <td className="numeric">{c.open}</td>
            <td className="numeric">{c.available}</td>
            <td className="numeric">{c.reserved}</td>
            <td className="numeric">{c.occupied}</td>
            <td className="numeric">{c.closed + c.stoodDown + c.siteClosed}</td>
            <td className="numeric">{occupancy(c)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The bed base in aggregate, for roles that may not see bed-level or case-level facts (leader, ward). */
export function BedSummaryScreen() {
  const summary = useLoad(endpoints.bedSummary, 'bed-summary');
  useLiveView('bed-board', () => void summary.reload());
  return (
    <div>
      <h1>Bed base</h1>
      <p className="lede">Beds by tier of the hierarchy of use and by site. Counts of beds, not of people.</p>
      {summary.error ? <ErrorPanel error={summary.error} /> : null}
      {!summary.data && !summary.error && <Spinner label="Loading the bed base" />}
      {summary.data && (
        <>
          <BedCountsTable summary={summary.data} caption="By tier" />
          <BedCountsTable summary={summary.data} caption="By site" by="site" />
          <p className="hint">
            Closed includes stood-down winter escalation beds and free beds at a site closed to admissions. Long stays (
            {summary.data.longStays.thresholdDays}+ days) are on the hub’s list.
          </p>
        </>
      )}
    </div>
  );
}
