import type { Actor, CommandMetadata } from '@app/event-sourcing';
import { actors, commandMetadata, type Issued } from '@app/event-sourcing/testing/builders';
import { defaultReferenceDataFile, loadReferenceData } from '@app/reference-data';
import {
  createBedDecider,
  type AdmitPatient,
  type BedClosed,
  type BedCommissioned,
  type BedDecommissioned,
  type BedReopened,
  type BedReservationExpired,
  type BedReservationReleased,
  type BedReserved,
  type CloseBed,
  type CommissionBed,
  type DecommissionBed,
  type EscalationBedOpened,
  type EscalationBedStoodDown,
  type ExpireBedReservation,
  type OpenEscalationBed,
  type PatientAdmitted,
  type PatientLeftBed,
  type RecordPatientLeftBed,
  type ReleaseBed,
  type ReopenBed,
  type ReserveBed,
  type StandDownEscalationBed,
} from '../bed';
import {
  createBedRequestDecider,
  type BedRequestClosed,
  type BedRequestFulfilled,
  type BedRequestOpened,
  type BedRequestReservationEnded,
  type BedRequestReservationRecorded,
  type CloseBedRequest,
  type EndReservation,
  type OpenBedRequest,
  type RecordDischargeToBed,
  type RecordReservation,
} from '../bed-request';
import type { BedNeeds } from '../codes';
import { bedBaseRulesFrom } from '../routes';
import {
  createSiteDecider,
  type CloseSiteToAdmissions,
  type RegisterSite,
  type ReopenSiteToAdmissions,
  type SiteClosedToAdmissions,
  type SiteRegistered,
  type SiteReopenedToAdmissions,
} from '../site';

/** The shipped illustrative Somerset reference data (always that file). */
export const illustrativeReferenceData = loadReferenceData(defaultReferenceDataFile());
export const rules = bedBaseRulesFrom(illustrativeReferenceData);
export const siteForSpecs = createSiteDecider(rules);
export const bedForSpecs = createBedDecider(rules);
export const bedRequestForSpecs = createBedRequestDecider(rules);

export const SITE_ID = 'FROME-CH';
export const BED_ID = 'FROME-CH-01';
export const REQUEST_ID = '3f1d2c4b-5a69-4788-9abc-def012345678';
export const OTHER_REQUEST_ID = '7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d';
export const CASE_ID = '6c0f3f0e-8a51-4f7e-9f0a-2b9c1d4e5f60';
export const RESERVATION_ID = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
export const OTHER_RESERVATION_ID = 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e';
/** GMT, so London dates equal UTC dates. */
export const NOW = '2026-11-23T10:00:00.000Z';
export const EXPIRES_AT = '2026-11-24T10:00:00.000Z';

export const { hub, admin, ward, leader, provider } = actors;
export const system: Actor = { userId: 'pm:bed-base-requests', role: 'system', organisation: 'TOCH' };
export const scheduler: Actor = { userId: 'deadline-scheduler', role: 'system', organisation: 'TOCH' };

export const metadata = (by: Actor = hub, at: string = NOW): CommandMetadata => commandMetadata(by, at);

export type { Issued };

export const bedNeeds = (overrides: Partial<BedNeeds> = {}): BedNeeds => ({
  capabilities: [],
  sexForBayAllocation: 'no-requirement',
  infectionIsolation: false,
  endOfLife: false,
  opmh: false,
  ...overrides,
});

// ─── Site ───────────────────────────────────────────────────────────────────────────────────────────────

export const siteRegistered = (data: Partial<SiteRegistered['data']> = {}): SiteRegistered => ({
  type: 'SiteRegistered',
  data: {
    siteId: SITE_ID,
    name: 'Frome Community Hospital',
    kind: 'community-hospital',
    locality: 'MENDIP',
    odsCode: 'ZZB01',
    odsCodeIllustrative: true,
    registeredAt: NOW,
    ...data,
  },
});
export const siteClosedToAdmissions = (data: Partial<SiteClosedToAdmissions['data']> = {}): SiteClosedToAdmissions => ({
  type: 'SiteClosedToAdmissions',
  data: { siteId: SITE_ID, reason: 'outbreak', closedAt: NOW, ...data },
});
export const siteReopenedToAdmissions = (data: Partial<SiteReopenedToAdmissions['data']> = {}): SiteReopenedToAdmissions => ({
  type: 'SiteReopenedToAdmissions',
  data: { siteId: SITE_ID, closedFor: 'outbreak', closedAt: NOW, reopenedAt: NOW, ...data },
});

export const registerSite = ({ by = admin, at = NOW, ...data }: Partial<RegisterSite['data']> & Issued = {}): RegisterSite => ({
  type: 'RegisterSite',
  data: {
    siteId: SITE_ID,
    name: 'Frome Community Hospital',
    kind: 'community-hospital',
    locality: 'MENDIP',
    odsCode: 'ZZB01',
    odsCodeIllustrative: true,
    ...data,
  },
  metadata: metadata(by, at),
});
export const closeSiteToAdmissions = ({
  by = hub,
  at = NOW,
  ...data
}: Partial<CloseSiteToAdmissions['data']> & Issued = {}): CloseSiteToAdmissions => ({
  type: 'CloseSiteToAdmissions',
  data: { siteId: SITE_ID, reason: 'outbreak', ...data },
  metadata: metadata(by, at),
});
export const reopenSiteToAdmissions = ({ by = hub, at = NOW }: Issued = {}): ReopenSiteToAdmissions => ({
  type: 'ReopenSiteToAdmissions',
  data: { siteId: SITE_ID },
  metadata: metadata(by, at),
});

// ─── Bed ────────────────────────────────────────────────────────────────────────────────────────────────

export const bedCommissioned = (data: Partial<BedCommissioned['data']> = {}): BedCommissioned => ({
  type: 'BedCommissioned',
  data: {
    bedId: BED_ID,
    siteId: SITE_ID,
    label: 'Frome CH, bed 01',
    pathway: 2,
    category: 'rehab',
    capabilities: ['hoist'],
    baySex: 'female',
    funding: 'nhs-community',
    tier: 2,
    escalation: false,
    commissionedAt: NOW,
    ...data,
  },
});
const bedRef = { bedId: BED_ID, siteId: SITE_ID };
const holder = { requestId: REQUEST_ID, reservationId: RESERVATION_ID, caseId: CASE_ID };

export const bedDecommissioned = (): BedDecommissioned => ({
  type: 'BedDecommissioned',
  data: { ...bedRef, decommissionedAt: NOW },
});
export const bedClosed = (data: Partial<BedClosed['data']> = {}): BedClosed => ({
  type: 'BedClosed',
  data: { ...bedRef, reason: 'infection', closedAt: NOW, ...data },
});
export const bedReopened = (data: Partial<BedReopened['data']> = {}): BedReopened => ({
  type: 'BedReopened',
  data: { ...bedRef, closedFor: 'infection', closedAt: NOW, reopenedAt: NOW, ...data },
});
export const escalationBedOpened = (): EscalationBedOpened => ({
  type: 'EscalationBedOpened',
  data: { ...bedRef, openedAt: NOW },
});
export const escalationBedStoodDown = (): EscalationBedStoodDown => ({
  type: 'EscalationBedStoodDown',
  data: { ...bedRef, stoodDownAt: NOW },
});
export const bedReserved = (data: Partial<BedReserved['data']> = {}): BedReserved => ({
  type: 'BedReserved',
  data: { ...bedRef, ...holder, reservedAt: NOW, expiresAt: EXPIRES_AT, ...data },
});
export const bedReservationReleased = (data: Partial<BedReservationReleased['data']> = {}): BedReservationReleased => ({
  type: 'BedReservationReleased',
  data: { ...bedRef, ...holder, reason: 'released-by-hub', releasedAt: NOW, ...data },
});
export const bedReservationExpired = (data: Partial<BedReservationExpired['data']> = {}): BedReservationExpired => ({
  type: 'BedReservationExpired',
  data: { ...bedRef, ...holder, expiresAt: EXPIRES_AT, expiredAt: EXPIRES_AT, ...data },
});
export const patientAdmitted = (data: Partial<PatientAdmitted['data']> = {}): PatientAdmitted => ({
  type: 'PatientAdmitted',
  data: { ...bedRef, ...holder, admittedAt: NOW, ...data },
});
export const patientLeftBed = (data: Partial<PatientLeftBed['data']> = {}): PatientLeftBed => ({
  type: 'PatientLeftBed',
  data: { ...bedRef, ...holder, outcome: 'home', admittedAt: NOW, leftAt: NOW, lengthOfStayDays: 0, ...data },
});

export const commissionBed = ({
  by = admin,
  at = NOW,
  ...data
}: Partial<CommissionBed['data']> & Issued = {}): CommissionBed => ({
  type: 'CommissionBed',
  data: {
    bedId: BED_ID,
    siteId: SITE_ID,
    label: 'Frome CH, bed 01',
    pathway: 2,
    category: 'rehab',
    capabilities: ['hoist'],
    baySex: 'female',
    funding: 'nhs-community',
    tier: 2,
    escalation: false,
    ...data,
  },
  metadata: metadata(by, at),
});
export const decommissionBed = ({ by = admin, at = NOW }: Issued = {}): DecommissionBed => ({
  type: 'DecommissionBed',
  data: { bedId: BED_ID },
  metadata: metadata(by, at),
});
export const closeBed = ({ by = hub, at = NOW, ...data }: Partial<CloseBed['data']> & Issued = {}): CloseBed => ({
  type: 'CloseBed',
  data: { bedId: BED_ID, reason: 'infection', ...data },
  metadata: metadata(by, at),
});
export const reopenBed = ({ by = hub, at = NOW }: Issued = {}): ReopenBed => ({
  type: 'ReopenBed',
  data: { bedId: BED_ID },
  metadata: metadata(by, at),
});
export const openEscalationBed = ({ by = hub, at = NOW }: Issued = {}): OpenEscalationBed => ({
  type: 'OpenEscalationBed',
  data: { bedId: BED_ID },
  metadata: metadata(by, at),
});
export const standDownEscalationBed = ({ by = hub, at = NOW }: Issued = {}): StandDownEscalationBed => ({
  type: 'StandDownEscalationBed',
  data: { bedId: BED_ID },
  metadata: metadata(by, at),
});
export const reserveBed = ({ by = hub, at = NOW, ...data }: Partial<ReserveBed['data']> & Issued = {}): ReserveBed => ({
  type: 'ReserveBed',
  data: { bedId: BED_ID, ...holder, expiresAt: EXPIRES_AT, ...data },
  metadata: metadata(by, at),
});
export const releaseBed = ({ by = hub, at = NOW, ...data }: Partial<ReleaseBed['data']> & Issued = {}): ReleaseBed => ({
  type: 'ReleaseBed',
  data: { bedId: BED_ID, reservationId: RESERVATION_ID, reason: 'released-by-hub', ...data },
  metadata: metadata(by, at),
});
export const expireBedReservation = ({
  by = scheduler,
  at = EXPIRES_AT,
  ...data
}: Partial<ExpireBedReservation['data']> & Issued = {}): ExpireBedReservation => ({
  type: 'ExpireBedReservation',
  data: { bedId: BED_ID, reservationId: RESERVATION_ID, ...data },
  metadata: metadata(by, at),
});
export const admitPatient = ({ by = system, at = NOW, ...data }: Partial<AdmitPatient['data']> & Issued = {}): AdmitPatient => ({
  type: 'AdmitPatient',
  data: { bedId: BED_ID, ...holder, admittedAt: NOW, ...data },
  metadata: metadata(by, at),
});
export const recordPatientLeftBed = ({
  by = hub,
  at = NOW,
  ...data
}: Partial<RecordPatientLeftBed['data']> & Issued = {}): RecordPatientLeftBed => ({
  type: 'RecordPatientLeftBed',
  data: { bedId: BED_ID, outcome: 'home', ...data },
  metadata: metadata(by, at),
});

// ─── Bed request ────────────────────────────────────────────────────────────────────────────────────────

const requestDetails = {
  requestId: REQUEST_ID,
  caseId: CASE_ID,
  origin: 'hospital-discharge' as const,
  pathway: 2 as const,
  bedCategory: 'rehab' as const,
  area: 'MENDIP',
};

export const bedRequestOpened = (data: Partial<BedRequestOpened['data']> = {}): BedRequestOpened => ({
  type: 'BedRequestOpened',
  data: { ...requestDetails, needs: bedNeeds(), openedAt: NOW, ...data },
});
export const bedRequestReservationRecorded = (
  data: Partial<BedRequestReservationRecorded['data']> = {},
): BedRequestReservationRecorded => ({
  type: 'BedRequestReservationRecorded',
  data: {
    requestId: REQUEST_ID,
    caseId: CASE_ID,
    origin: 'hospital-discharge',
    bedId: BED_ID,
    reservationId: RESERVATION_ID,
    expiresAt: EXPIRES_AT,
    recordedAt: NOW,
    ...data,
  },
});
export const bedRequestReservationEnded = (
  data: Partial<BedRequestReservationEnded['data']> = {},
): BedRequestReservationEnded => ({
  type: 'BedRequestReservationEnded',
  data: {
    requestId: REQUEST_ID,
    caseId: CASE_ID,
    bedId: BED_ID,
    reservationId: RESERVATION_ID,
    reason: 'released',
    endedAt: NOW,
    ...data,
  },
});
export const bedRequestFulfilled = (data: Partial<BedRequestFulfilled['data']> = {}): BedRequestFulfilled => ({
  type: 'BedRequestFulfilled',
  data: { requestId: REQUEST_ID, caseId: CASE_ID, bedId: BED_ID, reservationId: RESERVATION_ID, admittedAt: NOW, ...data },
});
export const bedRequestClosed = (data: Partial<BedRequestClosed['data']> = {}): BedRequestClosed => ({
  type: 'BedRequestClosed',
  data: { requestId: REQUEST_ID, caseId: CASE_ID, reason: 'case-withdrawn', releasedReservation: null, closedAt: NOW, ...data },
});

export const openBedRequest = ({
  by = system,
  at = NOW,
  ...data
}: Partial<OpenBedRequest['data']> & Issued = {}): OpenBedRequest => ({
  type: 'OpenBedRequest',
  data: { ...requestDetails, needs: bedNeeds(), ...data },
  metadata: metadata(by, at),
});
export const recordReservation = ({
  by = hub,
  at = NOW,
  ...data
}: Partial<RecordReservation['data']> & Issued = {}): RecordReservation => ({
  type: 'RecordReservation',
  data: { requestId: REQUEST_ID, bedId: BED_ID, reservationId: RESERVATION_ID, expiresAt: EXPIRES_AT, ...data },
  metadata: metadata(by, at),
});
export const endReservation = ({
  by = system,
  at = NOW,
  ...data
}: Partial<EndReservation['data']> & Issued = {}): EndReservation => ({
  type: 'EndReservation',
  data: { requestId: REQUEST_ID, reservationId: RESERVATION_ID, reason: 'released', ...data },
  metadata: metadata(by, at),
});
export const recordDischargeToBed = ({
  by = system,
  at = NOW,
  ...data
}: Partial<RecordDischargeToBed['data']> & Issued = {}): RecordDischargeToBed => ({
  type: 'RecordDischargeToBed',
  data: { requestId: REQUEST_ID, dischargedAt: NOW, ...data },
  metadata: metadata(by, at),
});
export const closeBedRequest = ({
  by = system,
  at = NOW,
  ...data
}: Partial<CloseBedRequest['data']> & Issued = {}): CloseBedRequest => ({
  type: 'CloseBedRequest',
  data: { requestId: REQUEST_ID, reason: 'case-withdrawn', ...data },
  metadata: metadata(by, at),
});
