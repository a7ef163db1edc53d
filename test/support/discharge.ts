import { randomInt } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { MessagingLifecycle } from '@app/platform';
import { ProjectionRegistry } from '@app/projections/projections.module';
import type { TestApp } from './app';

/** A fresh, valid NHS number (Modulus 11), so each test's person is a new person. */
export function anNhsNumber(): string {
  for (;;) {
    const digits = Array.from({ length: 9 }, (_, i) => (i === 0 ? randomInt(1, 10) : randomInt(0, 10)));
    const sum = digits.reduce((acc, d, i) => acc + d * (10 - i), 0);
    const check = 11 - (sum % 11);
    if (check === 10) continue;
    return [...digits, check === 11 ? 0 : check].join('');
  }
}

/** The same nine digits with a wrong check digit. */
export function withWrongCheckDigit(nhsNumber: string): string {
  return nhsNumber.slice(0, 9) + String((Number(nhsNumber[9]) + 1) % 10);
}

export interface ReferralOverrides {
  patient?: Record<string, unknown>;
  [field: string]: unknown;
}

/** A valid referral from Musgrove's Eliot ward; override only what a test is about. */
export function aReferral(overrides: ReferralOverrides = {}) {
  const { patient, ...rest } = overrides;
  return {
    patient: {
      nhsNumber: anNhsNumber(),
      givenName: 'Ada',
      familyName: 'Lovelace',
      dateOfBirth: '1940-12-10',
      postcode: 'TA1 2AB',
      ...patient,
    },
    hospital: 'RH5',
    ward: 'RH5A8-ELIOT',
    admittedOn: '2026-11-16',
    area: 'SEDGEMOOR',
    usualResidence: 'own-home',
    proposedPathway: 1,
    needs: {
      mobility: 'walking-aid',
      cognition: 'no-concerns',
      careHoursPerWeek: 14,
      equipment: ['commode'],
      specialist: {
        bariatric: false,
        dementia: false,
        endOfLife: false,
        opmh: false,
        sideRoom: false,
        sexForBayAllocation: 'no-requirement',
      },
    },
    ...rest,
  };
}

/** The discharge API as a user sees it: who, what, and the response. */
export function dischargeApi(t: TestApp) {
  const post = async (user: string, url: string, payload: object = {}, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, payload, headers: { ...(await t.as(user)), ...headers } });
  const get = async (user: string, url: string) => t.app.inject({ method: 'GET', url, headers: await t.as(user) });

  return {
    refer: (user: string, referral: object = aReferral(), headers: Record<string, string> = {}) =>
      post(user, '/api/discharge-cases', referral, headers),
    /** Refers and returns the new case id, failing loudly if the referral was refused. */
    async referred(user: string, referral: object = aReferral()): Promise<string> {
      const response = await post(user, '/api/discharge-cases', referral);
      expectStatus(response, 201);
      return response.json().caseId;
    },
    act: (user: string, caseId: string, command: string, body: object = {}, headers: Record<string, string> = {}) =>
      post(user, `/api/discharge-cases/${caseId}/${command}`, body, headers),
    /** Acts and fails loudly unless the command succeeded. */
    async done(user: string, caseId: string, command: string, body: object = {}) {
      const response = await post(user, `/api/discharge-cases/${caseId}/${command}`, body);
      expectStatus(response, 200);
      return response.json();
    },
    read: (user: string, caseId: string) => get(user, `/api/discharge-cases/${caseId}`),
    async history(user: string, caseId: string): Promise<Array<{ type: string; data: Record<string, unknown> }>> {
      const response = await get(user, `/api/discharge-cases/${caseId}`);
      expectStatus(response, 200);
      return response.json().history;
    },
    list: (user: string, query = '') => get(user, `/api/discharge-cases${query}`),
    pathwayShares: (user: string, query = '') => get(user, `/api/hub/pathway-shares${query}`),
    importFeed: async (user: string, body: string, contentType = 'text/csv') =>
      t.app.inject({
        method: 'POST',
        url: '/api/discharge/activity-feed',
        payload: body,
        headers: { ...(await t.as(user)), 'content-type': contentType },
      }),
    /** Waits until the relay published and the process managers handled everything committed so far. */
    settled: () => t.app.get(MessagingLifecycle).drained(),
    /** Waits until a projection has folded the event at `position` (from a command's response). */
    caughtUp: (projection: 'discharge-case-list' | 'pathway-shares', position: string) =>
      t.app.get(ProjectionRegistry).get(projection).caughtUpTo(BigInt(position)),
  };
}

export function expectStatus(response: LightMyRequestResponse, status: number): void {
  if (response.statusCode !== status) {
    throw new Error(`Expected ${status}, got ${response.statusCode}: ${response.body}`);
  }
}
