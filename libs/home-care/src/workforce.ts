/** A capacity return's optional staffing figures. */
export interface Staffing {
  careWorkersRostered: number;
  careWorkersAbsent: number;
}

/** Somerset's winter plan: losing more than 10% of the care-provider workforce puts home-first discharge at risk. */
export const WORKFORCE_ABSENCE_RISK_PERCENT = 10;

/** Absent as a percentage of rostered, to one decimal place; null when nobody is rostered. */
export const workforceAbsencePercent = (staffing: Staffing): number | null =>
  staffing.careWorkersRostered > 0 ? Math.round((staffing.careWorkersAbsent / staffing.careWorkersRostered) * 1000) / 10 : null;

/** Strictly more than 10%: exactly 10% is not flagged. Compares whole numbers, so no rounding decides it. */
export const isWorkforceAtRisk = (staffing: Staffing): boolean =>
  staffing.careWorkersAbsent * 100 > staffing.careWorkersRostered * WORKFORCE_ABSENCE_RISK_PERCENT;

/**
 * Pools returns, for one provider across its localities or for the whole system: the figure is the share of
 * all care workers rostered who are absent, never an average of percentages.
 */
export const pooledWorkforceAbsence = (
  staffings: readonly (Staffing | null | undefined)[],
): { careWorkersRostered: number; careWorkersAbsent: number; percent: number | null; atRisk: boolean } => {
  const pooled = staffings.reduce<Staffing>(
    (total, s) =>
      s
        ? {
            careWorkersRostered: total.careWorkersRostered + s.careWorkersRostered,
            careWorkersAbsent: total.careWorkersAbsent + s.careWorkersAbsent,
          }
        : total,
    { careWorkersRostered: 0, careWorkersAbsent: 0 },
  );
  return { ...pooled, percent: workforceAbsencePercent(pooled), atRisk: isWorkforceAtRisk(pooled) };
};
