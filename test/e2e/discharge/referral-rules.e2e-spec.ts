import { randomUUID } from 'node:crypto';
import { ControllableClock } from '@app/time';
import { StandaloneModule } from '../../../apps/standalone/src/standalone.module';
import { startTestApp, type TestApp } from '../../support/app';
import { aReferral, anNhsNumber, dischargeApi, withWrongCheckDigit } from '../../support/discharge';

const WARD = 'ward.musgrove';
const OTHER_TRUST_WARD = 'ward.yeovil';
const HUB = 'hub.coordinator';

describe('referrals: one open case per person, retries, bad input, refusals and scope', () => {
  let t: TestApp;
  let api: ReturnType<typeof dischargeApi>;
  const clock = new ControllableClock('2026-11-25T10:00:00Z');
  beforeAll(async () => {
    t = await startTestApp((o) => StandaloneModule.forRoot(o), { clock });
    api = dischargeApi(t);
  });
  afterAll(() => t.destroy());

  describe('one open case per person', () => {
    it('given an open case, when the same person is referred again, then it is 409 naming the existing case', async () => {
      const nhsNumber = anNhsNumber();
      const caseId = await api.referred(WARD, aReferral({ patient: { nhsNumber } }));

      const again = await api.refer(HUB, aReferral({ patient: { nhsNumber: `${nhsNumber.slice(0, 3)} ${nhsNumber.slice(3)}` } }));

      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ code: 'OPEN_CASE_EXISTS', existingCaseId: caseId });
    });

    it('given an open case, when a person with another NHS number is referred, then it is a new case', async () => {
      const caseId = await api.referred(WARD);

      const other = await api.refer(WARD, aReferral());

      expect(other.statusCode).toBe(201);
      expect(other.json().caseId).not.toBe(caseId);
      expect(other.headers.location).toBe(`/api/discharge-cases/${other.json().caseId}`);
    });

    it('given a person not yet traced, when referred without an NHS number, then the case opens with their identity', async () => {
      const untraced = aReferral({ patient: { nhsNumber: undefined, givenName: 'Unknown', familyName: 'Male' } });

      const first = await api.refer(WARD, untraced);
      const second = await api.refer(WARD, untraced);

      expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
      const read = await api.read(WARD, first.json().caseId);
      expect(read.json()).toMatchObject({ status: 'referred', identity: { givenName: 'Unknown', familyName: 'Male' } });
      expect(read.json().identity.nhsNumber).toBeUndefined();
    });
  });

  describe('Idempotency-Key', () => {
    it('given a referral, when it is retried with the same key, then the first response comes back and there is one case', async () => {
      const referral = aReferral();
      const key = randomUUID();

      const first = await api.refer(WARD, referral, { 'idempotency-key': key });
      const retry = await api.refer(WARD, referral, { 'idempotency-key': key });

      expect(first.statusCode).toBe(201);
      expect(retry.statusCode).toBe(201);
      expect(retry.json()).toEqual(first.json());
      expect(retry.headers['idempotent-replayed']).toBe('true');
      await api.caughtUp('discharge-case-list', first.json().position);
      const cases = (await api.list(HUB)).json() as Array<{ person: { nhsNumber: string } }>;
      expect(cases.filter((c) => c.person?.nhsNumber === referral.patient.nhsNumber)).toHaveLength(1);
    });

    it('given a key already used, when it comes with another referral, then it is 422 and no case opens for that person', async () => {
      const key = randomUUID();
      await api.refer(WARD, aReferral(), { 'idempotency-key': key });
      const other = aReferral();

      const reused = await api.refer(WARD, other, { 'idempotency-key': key });

      expect(reused.statusCode).toBe(422);
      expect(reused.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
      expect((await api.refer(WARD, other)).statusCode).toBe(201);
    });
  });

  describe('bad input is 400 naming the field and the rule', () => {
    const fieldErrors = async (referral: object) => {
      const response = await api.refer(WARD, referral);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
      return response.json().errors as Array<{ field: string; rule: string; message: string }>;
    };

    it('given a nested specialist need that is not a boolean', async () => {
      const referral = aReferral();
      (referral.needs.specialist as Record<string, unknown>).sideRoom = 'yes';

      expect(await fieldErrors(referral)).toEqual([
        expect.objectContaining({ field: 'needs.specialist.sideRoom', rule: 'isBoolean' }),
      ]);
    });

    it('given an NHS number whose check digit is wrong, without echoing the number', async () => {
      const nhsNumber = withWrongCheckDigit(anNhsNumber());

      const errors = await fieldErrors(aReferral({ patient: { nhsNumber } }));

      expect(errors).toEqual([
        expect.objectContaining({
          field: 'patient.nhsNumber',
          rule: 'isNhsNumber',
          message: expect.stringContaining('check digit'),
        }),
      ]);
      expect(JSON.stringify(errors)).not.toContain(nhsNumber);
    });

    it('given a field the request does not accept', async () => {
      expect(await fieldErrors(aReferral({ bedNumber: 12 }))).toEqual([
        expect.objectContaining({ field: 'bedNumber', rule: 'whitelistValidation' }),
      ]);
    });

    it('given a value outside an enumeration', async () => {
      expect(await fieldErrors(aReferral({ usualResidence: 'hotel', proposedPathway: 4 }))).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: 'usualResidence', rule: 'isIn' }),
          expect.objectContaining({ field: 'proposedPathway', rule: 'isIn' }),
        ]),
      );
    });

    it('given dates that are not calendar dates', async () => {
      const errors = await fieldErrors(aReferral({ admittedOn: '2026-02-30', patient: { dateOfBirth: '16/11/1940' } }));

      expect(errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: 'admittedOn', rule: 'isCalendarDate' }),
          expect.objectContaining({ field: 'patient.dateOfBirth', rule: 'isDateOfBirth' }),
        ]),
      );
    });

    it('given a discharge time without a time zone', async () => {
      const caseId = await api.referred(WARD);
      await api.done(WARD, caseId, 'pathway', { pathway: 0, reason: 'simple-discharge' });

      const response = await api.act(WARD, caseId, 'discharge', { dischargedAt: 'yesterday', destination: '19' });

      expect(response.statusCode).toBe(400);
      expect(response.json().errors).toEqual([expect.objectContaining({ field: 'dischargedAt', rule: 'isIso8601' })]);
    });

    it('given a stale If-Match, then 409 carries the current revision and nothing is written', async () => {
      const caseId = await api.referred(WARD);
      await api.done(HUB, caseId, 'accept');

      const stale = await api.act(
        HUB,
        caseId,
        'pathway',
        { pathway: 1, reason: 'mdt-assessment', homeCareNeeded: true },
        {
          'if-match': '"0"',
        },
      );

      expect(stale.statusCode).toBe(409);
      expect(stale.json()).toMatchObject({ code: 'REVISION_CONFLICT', currentRevision: 1 });
      expect((await api.read(HUB, caseId)).json()).toMatchObject({ revision: 1, facts: { plan: null } });
      const current = await api.act(
        HUB,
        caseId,
        'pathway',
        { pathway: 1, reason: 'mdt-assessment', homeCareNeeded: true },
        {
          'if-match': '"1"',
        },
      );
      expect(current.statusCode).toBe(200);
    });
  });

  describe('domain refusals', () => {
    it('given no pathway, when a discharge is recorded, then it is 422 PATHWAY_NOT_ASSIGNED', async () => {
      const caseId = await api.referred(WARD);

      const response = await api.act(WARD, caseId, 'discharge', { dischargedAt: '2026-11-25T09:00:00Z', destination: '19' });

      expect(response.statusCode).toBe(422);
      expect(response.json()).toMatchObject({ code: 'PATHWAY_NOT_ASSIGNED' });
    });

    it('given a discharged case, when the discharge is recorded again, then it is 409 ALREADY_DISCHARGED', async () => {
      const caseId = await api.referred(WARD);
      await api.done(WARD, caseId, 'pathway', { pathway: 0, reason: 'simple-discharge' });
      await api.done(WARD, caseId, 'discharge', { dischargedAt: '2026-11-25T09:00:00Z', destination: '19' });

      const again = await api.act(WARD, caseId, 'discharge', { dischargedAt: '2026-11-25T09:00:00Z', destination: '19' });

      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ code: 'ALREADY_DISCHARGED' });
    });

    it('given a case, when it is discharged to a time still in the future, then it is 422 DATE_IN_FUTURE', async () => {
      const caseId = await api.referred(WARD);
      await api.done(WARD, caseId, 'pathway', { pathway: 0, reason: 'simple-discharge' });

      const response = await api.act(WARD, caseId, 'discharge', { dischargedAt: '2026-11-26T09:00:00Z', destination: '19' });

      expect(response.statusCode).toBe(422);
      expect(response.json()).toMatchObject({ code: 'DATE_IN_FUTURE' });
    });
  });

  describe('who may see and act', () => {
    it('given a Musgrove case, then a ward of another trust can neither read it, nor find it, nor act on it', async () => {
      const caseId = await api.referred(WARD);
      const submitted = await api.done(HUB, caseId, 'accept');
      await api.caughtUp('discharge-case-list', submitted.position);

      const read = await api.read(OTHER_TRUST_WARD, caseId);
      const act = await api.act(OTHER_TRUST_WARD, caseId, 'criteria-to-reside/not-met', { from: '2026-11-20' });
      const list = (await api.list(OTHER_TRUST_WARD)).json() as Array<{ caseId: string }>;

      expect(read.statusCode).toBe(403);
      expect(read.json()).toMatchObject({ code: 'OUT_OF_SCOPE' });
      expect(read.body).not.toContain('Lovelace');
      expect(act.statusCode).toBe(403);
      expect(act.json()).toMatchObject({ code: 'OUT_OF_SCOPE' });
      expect(list.map((c) => c.caseId)).not.toContain(caseId);
      expect((await api.history(HUB, caseId)).map((e) => e.type)).toEqual(['ReferralSubmitted', 'ReferralAccepted']);
    });

    it('given a ward, when it refers for another trust, then it is 403', async () => {
      const response = await api.refer(OTHER_TRUST_WARD, aReferral({ hospital: 'RH5', ward: 'RH5A8-ELIOT' }));

      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'OUT_OF_SCOPE' });
    });

    it.each(['leader.ics', 'provider.mendip-care'])(
      'given %s, then cases are closed to them: 403 on referral, read, list and commands',
      async (user) => {
        const caseId = await api.referred(WARD);

        const responses = [
          await api.refer(user),
          await api.read(user, caseId),
          await api.list(user),
          await api.act(user, caseId, 'withdraw', { reason: 'entered-in-error' }),
        ];

        expect(responses.map((r) => r.statusCode)).toEqual([403, 403, 403, 403]);
        expect(responses.map((r) => r.json().code)).toEqual(Array(4).fill('ROLE_NOT_PERMITTED'));
        expect((await api.read(HUB, caseId)).json()).toMatchObject({ status: 'referred' });
      },
    );
  });
});
