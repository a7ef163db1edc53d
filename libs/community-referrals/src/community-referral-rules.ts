import type { ReferenceData } from '@app/reference-data';
import type { CommunityReferralRules, ServiceLevelSnapshot } from './intermediate-care-referral';

/** The configured service level the urgent response is measured against (reference data, not code). */
export const URGENT_RESPONSE_SERVICE_LEVEL = 'step-up-urgent-community-response';

const MINUTES = { minutes: 1, hours: 60, 'london-calendar-days': 24 * 60 } as const;

export const communityReferralRulesFrom = (reference: ReferenceData): CommunityReferralRules => {
  const areas = new Set(reference.areas.map((area) => area.code));
  const bands = new Set(reference.contents.ageBands.map((band) => band.code));
  const level = reference.serviceLevel(URGENT_RESPONSE_SERVICE_LEVEL);
  const urgent: ServiceLevelSnapshot | null = level
    ? { id: level.id, withinMinutes: level.within.amount * MINUTES[level.within.unit] }
    : null;
  return {
    isKnownArea: (code) => areas.has(code),
    isKnownAgeBand: (code) => bands.has(code),
    responseServiceLevel: (urgency) => (urgency === 'urgent' ? urgent : null),
  };
};
