import type { ReferenceData } from '@app/reference-data';
import type { DischargeRules, Pathway } from './discharge-case';

/** The decider's view of the reference lists: plain look-ups, computed once, no I/O. */
export const dischargeRulesFrom = (reference: ReferenceData): DischargeRules => {
  const areas = new Set(reference.areas.map((area) => area.code));
  const bands = new Map(reference.contents.ageBands.map((band) => [band.code, band]));
  const current = reference.currentDelayReasonVersion;
  const byPathway = new Map(
    ([0, 1, 2, 3] as const).map((pathway) => [pathway, reference.destinationsAllowedForPathway(pathway).map((d) => d.code)]),
  );
  return {
    isKnownArea: (code) => areas.has(code),
    siteOfWard: (hospital, ward) => {
      const found = reference.ward(ward);
      return found && found.hospital.trustOdsCode === hospital ? found.hospital.siteOdsCode : undefined;
    },
    isKnownAgeBand: (code) => bands.has(code),
    isAgeBand65OrOver: (code) => (bands.get(code)?.minAge ?? 0) >= 65,
    isCurrentDelayReason: (code, version) => version === current && reference.delayReason(code, version) !== undefined,
    destinationsAllowedForPathway: (pathway: Pathway) => byPathway.get(pathway) ?? [],
  };
};
