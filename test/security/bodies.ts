import { aReferral } from '../support/discharge';

/** The security suites' clock: 25 November 2026, 10:00 UTC. */
export const TODAY = '2026-11-25';

export const patient = () => ({
  nhsNumber: '9990000018',
  givenName: 'Fuzz',
  familyName: 'Testperson',
  dateOfBirth: '1941-03-04',
  postcode: 'TA1 2AB',
});
const needs = () => aReferral().needs;

/** A valid body per DTO (hand-written); a DTO not listed here gets one built from its schema's examples. */
export const BODIES: Record<string, () => unknown> = {
  SubmitReferralDto: () => ({ ...aReferral(), patient: patient() }),
  ReturnReferralDto: () => ({ reason: 'incomplete-information' }),
  CriteriaToResideNotMetDto: () => ({ from: '2026-11-20' }),
  CriteriaToResideMetAgainDto: () => ({ on: '2026-11-21' }),
  AssignPathwayDto: () => ({ pathway: 1, reason: 'mdt-assessment', homeCareNeeded: false }),
  OpenDelayDto: () => ({ reasonCode: 'CAP-P1', makePrimary: true }),
  CloseDelayDto: () => ({}),
  RecordDischargeDto: () => ({ dischargedAt: '2026-11-25T09:00:00Z', destination: '19' }),
  WithdrawCaseDto: () => ({ reason: 'no-longer-needed' }),
  RecordFollowUpDto: () => ({ result: 'at-home' }),
  RegisterProviderDto: () => ({ providerId: 'PRV-FUZZ-CARE', name: 'Fuzz Care at Home', localities: ['MENDIP'] }),
  SuspendProviderDto: () => ({ reason: 'provider-request' }),
  DeclareCapacityDto: () => ({
    locality: 'SEDGEMOOR',
    date: TODAY,
    hoursPerWeek: 40,
    newPackages: 3,
    staffing: { careWorkersRostered: 10, careWorkersAbsent: 1 },
  }),
  OfferPackageDto: () => ({ providerId: 'PRV-MENDIP-CARE', startOn: '2026-11-26' }),
  DeclineOfferDto: () => ({ reason: 'no-carers-available' }),
  StartPackageDto: () => ({ startedOn: TODAY }),
  RecordReviewDto: () => ({ reviewedOn: '2026-12-02', progress: 'goals-met', hoursPerWeekNow: 10 }),
  EndPackageDto: () => ({ outcome: 'no-ongoing-needs', endedOn: '2026-12-20' }),
  CancelPackageDto: () => ({ reason: 'case-withdrawn' }),
  RegisterSiteDto: () => ({
    siteId: 'FUZZ-CH',
    name: 'Fuzz Community Hospital',
    kind: 'community-hospital',
    locality: 'MENDIP',
    odsCode: 'ZZF01',
    odsCodeIllustrative: true,
  }),
  CloseSiteDto: () => ({ reason: 'staffing' }),
  CommissionBedDto: () => ({
    bedId: 'FUZZ-CH-01',
    siteId: 'FROME-CH',
    label: 'Fuzz bed',
    pathway: 2,
    category: 'rehab',
    capabilities: ['hoist'],
    baySex: 'male',
    funding: 'block',
    tier: 1,
  }),
  CloseBedDto: () => ({ reason: 'maintenance' }),
  LeaveBedDto: () => ({ outcome: 'home' }),
  ReserveBedDto: () => ({ bedId: 'FROME-CH-01', expiresInHours: 24 }),
  SubmitCommunityReferralDto: () => ({
    patient: { ...patient(), nhsNumber: '9990000026' },
    kind: 'step-up',
    source: 'gp',
    referrerOrganisation: 'L85001',
    area: 'SEDGEMOOR',
    urgency: 'routine',
    needs: needs(),
  }),
  TriageDto: () => ({ outcome: 'support-at-home', reason: 'safe-at-home-with-support' }),
  FirstResponseDto: () => ({ respondedAt: '2026-11-25T10:40:00Z' }),
  StartCareDto: () => ({ startedAt: '2026-11-25T15:00:00Z' }),
  EndCareDto: () => ({ outcome: 'admission-avoided', endedOn: '2026-12-01' }),
  WithdrawReferralDto: () => ({ reason: 'no-longer-needed' }),
  DevTokenRequest: () => ({ userId: 'leader.ics' }),
};
