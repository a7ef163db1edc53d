import { randomInt } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import type { EventStore } from '@app/event-sourcing';
import { HOME_CARE_CATEGORIES, HOME_CARE_VIEW } from '@app/home-care';
import { EVENT_STORE, MessagingLifecycle } from '@app/platform';
import { ProjectionRegistry } from '@app/projections/projections.module';
import type { TestApp } from '../../support/app';

export const WARD = 'ward.musgrove';
export const HUB = 'hub.coordinator';
export const MENDIP = 'provider.mendip-care';
export const TAUNTON = 'provider.taunton-homecare';
export const MENDIP_ID = 'PRV-MENDIP-CARE';
export const TAUNTON_ID = 'PRV-TAUNTON-HOMECARE';

/** A fresh, valid NHS number (Modulus 11): each referral is a new person. */
export function anNhsNumber(): string {
  for (;;) {
    const digits = Array.from({ length: 9 }, (_, i) => (i === 0 ? randomInt(1, 10) : randomInt(0, 10)));
    const check = 11 - (digits.reduce((acc, d, i) => acc + d * (10 - i), 0) % 11);
    if (check === 10) continue;
    return [...digits, check === 11 ? 0 : check].join('');
  }
}

export const aReferral = (nhsNumber = anNhsNumber(), careHoursPerWeek = 14) => ({
  patient: { nhsNumber, givenName: 'Ada', familyName: 'Lovelace', dateOfBirth: '1940-12-10', postcode: 'TA6 3AB' },
  hospital: 'RH5',
  ward: 'RH5A8-ELIOT',
  admittedOn: '2026-11-16',
  area: 'SEDGEMOOR',
  usualResidence: 'own-home',
  proposedPathway: 1,
  needs: {
    mobility: 'walking-aid',
    cognition: 'no-concerns',
    careHoursPerWeek,
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
});

export function expectStatus(response: LightMyRequestResponse, status: number): void {
  if (response.statusCode !== status) throw new Error(`Expected ${status}, got ${response.statusCode}: ${response.body}`);
}

/** Home care and the discharge case around it, as each user sees them over HTTP. */
export function homeCareApi(t: TestApp) {
  const post = async (user: string, url: string, payload: object = {}, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, payload, headers: { ...(await t.as(user)), ...headers } });
  const get = async (user: string, url: string) => t.app.inject({ method: 'GET', url, headers: await t.as(user) });
  const ok = async (response: Promise<LightMyRequestResponse>, status = 200) => {
    const r = await response;
    expectStatus(r, status);
    return r.json();
  };
  const store = () => t.app.get<EventStore>(EVENT_STORE);

  /** Until the relays and process managers have handled everything, including what they wrote themselves. */
  const settle = async () => {
    for (let round = 0; round < 20; round++) {
      const before = await store().headPosition();
      await t.app.get(MessagingLifecycle).drained();
      if ((await store().headPosition()) === before) break;
    }
    const homeCare = await store().readAll({ categories: HOME_CARE_CATEGORIES });
    if (homeCare.length > 0) await t.app.get(ProjectionRegistry).get(HOME_CARE_VIEW).caughtUpTo(homeCare.at(-1)!.position);
  };

  const api = {
    post,
    get,
    ok,
    settle,
    async referred(referral: object = aReferral()): Promise<string> {
      return (await ok(post(WARD, '/api/discharge-cases', referral), 201)).caseId;
    },
    caseAct: (user: string, caseId: string, command: string, body: object = {}) =>
      post(user, `/api/discharge-cases/${caseId}/${command}`, body),
    async caseHistory(caseId: string): Promise<Array<{ type: string; data: Record<string, unknown> }>> {
      return (await ok(get(HUB, `/api/discharge-cases/${caseId}`))).history;
    },
    /** A P1 case that needs home care, and the package the process manager requested for it. */
    async packageRequested(careHoursPerWeek = 14): Promise<{ caseId: string; packageId: string }> {
      const caseId = await api.referred(aReferral(anNhsNumber(), careHoursPerWeek));
      await ok(api.caseAct(HUB, caseId, 'pathway', { pathway: 1, reason: 'mdt-assessment', homeCareNeeded: true }));
      await settle();
      const waiting: Array<{ caseId: string; packageId: string }> = await ok(get(HUB, '/api/home-care/waiting'));
      const row = waiting.find((w) => w.caseId === caseId);
      if (!row) throw new Error(`No package was requested for case ${caseId}`);
      return { caseId, packageId: row.packageId };
    },
    declare: (user: string, providerId: string, body: object) =>
      post(user, `/api/home-care/providers/${providerId}/capacity`, body),
    offer: (packageId: string, body: object, headers: Record<string, string> = {}) =>
      post(HUB, `/api/home-care/packages/${packageId}/offers`, body, headers),
    answer: (user: string, packageId: string, offerId: string, answer: 'accept' | 'decline', body: object = {}) =>
      post(user, `/api/home-care/packages/${packageId}/offers/${offerId}/${answer}`, body),
    package: (user: string, packageId: string) => get(user, `/api/home-care/packages/${packageId}`),
    /** One cell of the hub's ledger grid. */
    async cell(providerId: string, locality: string, date: string) {
      await settle();
      const grid = await ok(get(HUB, `/api/home-care/ledger?from=${date}&days=1`));
      const provider = grid.providers.find((p: { providerId: string }) => p.providerId === providerId);
      return provider.localities.find((l: { locality: string }) => l.locality === locality).days[0];
    },
  };
  return api;
}
