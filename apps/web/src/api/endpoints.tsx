import { api, query } from './client';
import type {
  BedBaseSummary,
  BedRecommendation,
  BoardRow,
  Kpis,
  KpiDefinition,
  LedgerGrid,
  LongStay,
  OpenBedRequest,
  PackageSummary,
  ParkedMessage,
  ProviderListItem,
  ProviderScreen,
  Reservation,
  WaitingPackage,
  CaseListRow,
  CaseStatus,
  CaseView,
  CommandResult,
  DemoUser,
  PathwayShares,
  ReferenceData,
  SubmitResult,
  TokenResponse,
} from './types';

/** Every endpoint the UI calls, typed. Paths carry ids and codes only, never personal data. */
export const endpoints = {
  demoUsers: () => api.get<DemoUser[]>('/auth/dev/users'),
  signIn: (userId: string) => api.post<TokenResponse>('/auth/dev/token', { userId }),
  referenceData: () => api.get<ReferenceData>('/api/reference-data'),
  pathwayShares: () => api.get<PathwayShares>('/api/hub/pathway-shares'),

  cases: (filter: { status?: CaseStatus } = {}) => api.get<CaseListRow[]>(`/api/discharge-cases${query(filter)}`),
  case: (caseId: string) => api.get<CaseView>(`/api/discharge-cases/${encodeURIComponent(caseId)}`),
  refer: (referral: unknown) => api.post<SubmitResult>('/api/discharge-cases', referral),
  command: (caseId: string, action: string, body: unknown, revision?: number) =>
    api.post<CommandResult>(`/api/discharge-cases/${encodeURIComponent(caseId)}/${action}`, body, { ifMatch: revision }),

  // Bed base
  beds: () => api.get<BoardRow[]>('/api/bed-base/beds'),
  bedRequests: () => api.get<OpenBedRequest[]>('/api/bed-base/requests'),
  recommendation: (requestId: string) =>
    api.get<BedRecommendation>(`/api/bed-base/requests/${encodeURIComponent(requestId)}/recommendation`),
  reserve: (requestId: string, bedId: string, expiresInHours?: number) =>
    api.post<Reservation>(`/api/bed-base/requests/${encodeURIComponent(requestId)}/reservations`, { bedId, expiresInHours }),
  release: (requestId: string, reservationId: string) =>
    api.post<unknown>(
      `/api/bed-base/requests/${encodeURIComponent(requestId)}/reservations/${encodeURIComponent(reservationId)}/release`,
      {},
    ),
  leaveBed: (bedId: string, outcome: string) =>
    api.post<unknown>(`/api/bed-base/beds/${encodeURIComponent(bedId)}/leave`, { outcome }),
  bedSummary: () => api.get<BedBaseSummary>('/api/bed-base/summary'),
  longStays: () => api.get<LongStay[]>('/api/bed-base/long-stays'),

  // Home care
  ledger: (from?: string, days?: number) =>
    api.get<LedgerGrid>(`/api/home-care/ledger${query({ from, days: days === undefined ? undefined : String(days) })}`),
  waiting: () => api.get<WaitingPackage[]>('/api/home-care/waiting'),
  providers: () => api.get<ProviderListItem[]>('/api/home-care/providers'),
  offerPackage: (packageId: string, body: { providerId: string; startOn: string; overrideReason?: string }) =>
    api.post<{ packageId: string; offerId: string }>(`/api/home-care/packages/${encodeURIComponent(packageId)}/offers`, body),
  providerView: (providerId: string) =>
    api.get<ProviderScreen>(`/api/home-care/providers/${encodeURIComponent(providerId)}/view`),
  declareCapacity: (providerId: string, body: unknown) =>
    api.post<unknown>(`/api/home-care/providers/${encodeURIComponent(providerId)}/capacity`, body),
  packageAction: (packageId: string, action: string, body: unknown = {}) =>
    api.post<unknown>(`/api/home-care/packages/${encodeURIComponent(packageId)}/${action}`, body),
  packages: () => api.get<PackageSummary[]>('/api/home-care/packages'),

  // Hub KPIs and parked messages
  kpis: () => api.get<Kpis>('/api/hub/kpis'),
  kpiDefinitions: () => api.get<{ timeZone: string; kpis: KpiDefinition[] }>('/api/hub/kpis/definitions'),
  parkedMessages: () => api.get<ParkedMessage[]>('/api/hub/parked-messages'),
  retryParked: (parkedId: string) =>
    api.post<{ parkedId: string; outcome: string }>(`/api/hub/parked-messages/${encodeURIComponent(parkedId)}/retry`, {}),
  dismissParked: (parkedId: string, note: string) =>
    api.post<unknown>(`/api/hub/parked-messages/${encodeURIComponent(parkedId)}/dismiss`, { note }),
};
