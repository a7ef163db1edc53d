import type { LightMyRequestResponse } from 'fastify';
import { MessagingLifecycle } from '@app/platform';
import type { TestApp } from '../../support/app';
import { aReferral, dischargeApi, expectStatus } from '../../support/discharge';

export const WARD = 'ward.musgrove';
export const HUB = 'hub.coordinator';
export const ADMIN = 'admin';
export const LEADER = 'leader.ics';
export const PROVIDER = 'provider.mendip-care';

export const noSpecialNeeds = {
  bariatric: false,
  dementia: false,
  endOfLife: false,
  opmh: false,
  sideRoom: false,
  sexForBayAllocation: 'no-requirement',
};

export interface BoardRow {
  bedId: string;
  siteId: string;
  status: string;
  since: string;
  caseId?: string | null;
  tier: number;
  category: string;
}

/** Retries an assertion until it passes: views are projections, a moment behind the write. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** The bed-base API as its users see it, with the discharge API for the case's side of the journey. */
export function bedBaseApi(t: TestApp) {
  const cases = dischargeApi(t);
  const post = async (user: string, url: string, payload: object = {}, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: `/api/bed-base${url}`, payload, headers: { ...(await t.as(user)), ...headers } });
  const get = async (user: string, url: string) =>
    t.app.inject({ method: 'GET', url: `/api/bed-base${url}`, headers: await t.as(user) });
  const ok = (response: LightMyRequestResponse, status = 200) => {
    expectStatus(response, status);
    return response.json();
  };

  const api = {
    cases,
    post,
    get,
    ok,
    /** Relays published and process managers handled everything committed so far. */
    settled: () => t.app.get(MessagingLifecycle).drained(),
    board: async (user = HUB): Promise<BoardRow[]> => ok(await get(user, '/beds')),
    bed: async (bedId: string, user = HUB): Promise<BoardRow> => {
      const row = (await api.board(user)).find((b) => b.bedId === bedId);
      if (!row) throw new Error(`No bed ${bedId} on the board`);
      return row;
    },
    /** Waits until the board shows the bed in `status`. */
    bedBecomes: (bedId: string, status: string) =>
      eventually(async () => {
        const row = await api.bed(bedId);
        expect(row.status).toBe(status);
        return row;
      }),
    summary: async (user = HUB) => ok(await get(user, '/summary')),
    /** Refers a person from the ward and has the hub assign P2 (rehab by default): the case id. */
    async p2Case({
      bedCategory = 'rehab',
      area = 'SEDGEMOOR',
      specialist = {},
    }: { bedCategory?: string; area?: string; specialist?: object } = {}) {
      const referral = aReferral({ area, proposedPathway: 2 });
      referral.needs.specialist = { ...noSpecialNeeds, ...specialist };
      const caseId = await cases.referred(WARD, referral);
      await cases.done(HUB, caseId, 'pathway', {
        pathway: 2,
        reason: 'mdt-assessment',
        bedCategory,
        intentionToReturnHome: true,
      });
      return caseId;
    },
    /** The open request the process manager opened for the case. */
    requestFor: (caseId: string) =>
      eventually(async () => {
        await api.settled();
        const requests: Array<{ requestId: string; caseId: string }> = ok(await get(HUB, '/requests'));
        const found = requests.find((r) => r.caseId === caseId);
        if (!found) throw new Error(`No open request for case ${caseId}`);
        return found;
      }),
    reserve: (requestId: string, bedId: string, extra: object = {}, headers: Record<string, string> = {}) =>
      post(HUB, `/requests/${requestId}/reservations`, { bedId, ...extra }, headers),
    recommendation: async (requestId: string) => ok(await get(HUB, `/requests/${requestId}/recommendation`)),
  };
  return api;
}
