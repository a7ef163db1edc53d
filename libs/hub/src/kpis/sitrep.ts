import type { ReferenceData } from '@app/reference-data';
import type { LondonDate } from '@app/time';
import sitrepConfig from '../../config/discharge-sitrep-metrics.json';
import { dischargeKpisOn, type DischargeKpis, type DischargeKpisView } from '../projections/discharge-kpis';

export interface SitrepMetricConfig {
  source: string;
  metrics: ReadonlyArray<{ figure: string; metric: string }>;
}

export const DISCHARGE_SITREP_METRICS: SitrepMetricConfig = sitrepConfig;

/** One KPI figure by its config name, e.g. `discharges.pathway.1`, `nctr.daysWaiting.2-3`, `nctr.primaryReason.CAP-P1`. */
export function sitrepFigure(kpis: DischargeKpis, figure: string): number {
  const [group, key, ...rest] = figure.split('.');
  const sub = rest.length > 0 ? [key, ...rest].join('.') : key;
  const today = kpis.dischargesByPathway.today;
  if (group === 'discharges') {
    if (key === 'total') return today.total;
    if (key === 'pathway') return today.counts[Number(rest[0]) as 0 | 1 | 2 | 3];
  }
  if (group === 'nctr') {
    if (key === 'total') return kpis.nctrNow.total;
    const value = rest.join('.');
    if (key === 'pathway') return kpis.nctrNow.byPathway[value as '0'] ?? 0;
    if (key === 'daysWaiting') return kpis.nctrNow.byDaysWaiting[value as '0'] ?? 0;
    if (key === 'primaryReason') return kpis.nctrNow.byPrimaryReason[value] ?? 0;
  }
  if (group === 'delayedBedDays' && sub === 'monthToDate') return kpis.delayedBedDays.bedDays;
  throw new Error(`Unknown sitrep figure '${figure}'`);
}

const csvCell = (value: string | number) => {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** The discharge sitrep return for one London day, one block of rows per trust, long format. */
export function dischargeSitrepCsv(
  view: DischargeKpisView,
  date: LondonDate,
  referenceData: ReferenceData,
  config: SitrepMetricConfig = DISCHARGE_SITREP_METRICS,
): string {
  const lines = [['Period', 'Org Code', 'Metric', 'Value']];
  for (const trust of referenceData.contents.trusts) {
    const kpis = dischargeKpisOn(view, date, referenceData, { hospital: trust.odsCode });
    for (const { figure, metric } of config.metrics) {
      lines.push([date, trust.odsCode, metric, String(sitrepFigure(kpis, figure))]);
    }
  }
  return lines.map((line) => line.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
