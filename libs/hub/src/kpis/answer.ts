import type { ReferenceData } from '@app/reference-data';
import type { BedBoardView } from '@app/bed-base';
import type { HomeCareView } from '@app/home-care';
import type { LondonDate } from '@app/time';
import { capacityKpisOn, type CapacityKpisView } from '../projections/capacity-kpis';
import { dischargeKpisOn, type AscofCohort, type DischargeKpisView, type KpiFilters } from '../projections/discharge-kpis';
import { capacityForLeader, forLeader } from './for-leader';

/** The views `GET /api/hub/kpis` reads; `capacity` is absent where a deployment keeps no bed board or home-care view. */
export interface KpiViews {
  discharge: { view: DischargeKpisView; position: bigint | undefined };
  capacity?: { board: BedBoardView; home: HomeCareView; facts: CapacityKpisView };
}

export interface KpiQuestion {
  date: LondonDate;
  /** The instant the capacity views were read at. */
  at: string;
  /** The as-of instant asked for, else null. */
  asOf: string | null;
  filters: KpiFilters;
  ascofCohort?: AscofCohort;
  /** A leader's answer: aggregates with small counts of people suppressed, and no list. */
  leader: boolean;
}

/**
 * Every KPI for one London date, as `GET /api/hub/kpis` answers it and the `kpis` live room pushes it: the
 * discharge figures, then bedBase, d2a and parkedMessages. Leaders get `forLeader` / `capacityForLeader`.
 */
export function kpisAnswer(views: KpiViews, question: KpiQuestion, referenceData: ReferenceData) {
  const { date, at, asOf, filters, ascofCohort, leader } = question;
  const kpis = dischargeKpisOn(views.discharge.view, date, referenceData, filters, ascofCohort ? { ascofCohort } : {});
  const capacity = views.capacity ? capacityKpisOn(views.capacity, date, at, referenceData) : {};
  const figures = leader ? forLeader(kpis, referenceData) : kpis;
  const sections = leader ? capacityForLeader(capacity, referenceData) : capacity;
  // Hook: community-referrals' measures (step-up urgent community response) join here as their own section.
  return {
    asOf,
    position: views.discharge.position?.toString() ?? null,
    definitions: '/api/hub/kpis/definitions',
    ...figures,
    ...sections,
  };
}
