import type { LightMyRequestResponse } from 'fastify';
import type { EventStore } from '@app/event-sourcing';
import { bedBoard } from '@app/bed-base';
import { communityReferralMeasures } from '@app/community-referrals';
import { homeCareView } from '@app/home-care';
import { pathwayShares } from '@app/hub';
import { EVENT_STORE, MessagingLifecycle } from '@app/platform';
import { ProjectionRegistry } from '@app/projections/projections.module';
import type { TestApp } from '../../support/app';
import { anNhsNumber, expectStatus } from '../../support/discharge';

export const HUB = 'hub.coordinator';
export const WARD = 'ward.musgrove';
export const MENDIP = 'provider.mendip-care';
export const MENDIP_ID = 'PRV-MENDIP-CARE';

export const aCommunityReferral = (overrides: Record<string, unknown> = {}) => ({
  patient: { nhsNumber: anNhsNumber(), givenName: 'Mary', familyName: 'Seacole', dateOfBirth: '1938-03-02', postcode: 'TA6 4AB' },
  kind: 'step-up',
  source: 'gp',
  referrerOrganisation: 'L85001',
  area: 'SEDGEMOOR',
  urgency: 'urgent',
  needs: {
    mobility: 'assistance-of-one',
    cognition: 'no-concerns',
    careHoursPerWeek: 10,
    equipment: [],
    specialist: {
      bariatric: false,
      dementia: false,
      endOfLife: false,
      opmh: false,
      sideRoom: false,
      sexForBayAllocation: 'no-requirement',
    },
  },
  ...overrides,
});

type History = Array<{ type: string; data: Record<string, unknown> }>;

/** Community referrals over HTTP, with what the bed base and home care show. */
export function communityReferralsApi(t: TestApp) {
  const post = async (user: string, url: string, payload: object = {}, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, payload, headers: { ...(await t.as(user)), ...headers } });
  const get = async (user: string, url: string) => t.app.inject({ method: 'GET', url, headers: await t.as(user) });
  const ok = async (response: Promise<LightMyRequestResponse>, status = 200) => {
    const r = await response;
    expectStatus(r, status);
    return r.json();
  };
  const store = () => t.app.get<EventStore>(EVENT_STORE);

  const api = {
    post,
    get,
    ok,
    /** Relays, process managers (and what they wrote) and every projection have caught up. */
    async settle() {
      for (let round = 0; round < 20; round++) {
        const before = await store().headPosition();
        await t.app.get(MessagingLifecycle).drained();
        if ((await store().headPosition()) === before) break;
      }
      const registry = t.app.get(ProjectionRegistry);
      for (const projection of [communityReferralMeasures, bedBoard, homeCareView, pathwayShares]) {
        const events = await store().readAll({ categories: projection.categories });
        if (events.length > 0) await registry.get(projection.name).caughtUpTo(events.at(-1)!.position);
      }
    },
    async submitted(referral: object = aCommunityReferral()): Promise<{ referralId: string; alsoOpen: unknown }> {
      return ok(post(HUB, '/api/community-referrals', referral), 201);
    },
    act: (referralId: string, command: string, body: object = {}, user = HUB) =>
      post(user, `/api/community-referrals/${referralId}/${command}`, body),
    read: (referralId: string, user = HUB) => ok(get(user, `/api/community-referrals/${referralId}`)),
    async history(referralId: string): Promise<History> {
      return (await api.read(referralId)).history;
    },
    measures: () => ok(get(HUB, '/api/community-referrals/measures')),
    pathwayShares: () => ok(get(HUB, '/api/hub/pathway-shares')),
  };
  return api;
}
