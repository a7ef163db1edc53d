import { api, query } from './client';
import type {
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
};
