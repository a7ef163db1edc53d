import { StandaloneModule } from '../../../apps/standalone/src/standalone.module';
import { startTestApp, type TestApp } from '../../support/app';

const referral = {
  patient: {
    nhsNumber: '943 476 5919',
    givenName: 'Ada',
    familyName: 'Lovelace',
    dateOfBirth: '1940-12-10',
    postcode: 'ta1 2ab',
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
};

describe('discharge smoke', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp((o) => StandaloneModule.forRoot(o))));
  afterAll(() => t.destroy());

  it('refers, reads back, and counts', async () => {
    const ward = await t.as('ward.musgrove');
    const submitted = await t.app.inject({ method: 'POST', url: '/api/discharge-cases', payload: referral, headers: ward });
    expect(submitted.json()).toMatchObject({ caseId: expect.any(String) });
    expect(submitted.statusCode).toBe(201);
    const { caseId } = submitted.json();
    const read = await t.app.inject({ method: 'GET', url: `/api/discharge-cases/${caseId}`, headers: ward });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ status: 'referred', identity: { givenName: 'Ada', nhsNumber: '9434765919' } });
    const again = await t.app.inject({ method: 'POST', url: '/api/discharge-cases', payload: referral, headers: ward });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'OPEN_CASE_EXISTS', existingCaseId: caseId });
    const hub = await t.as('hub.coordinator');
    const assign = await t.app.inject({
      method: 'POST',
      url: `/api/discharge-cases/${caseId}/pathway`,
      payload: { pathway: 1, reason: 'mdt-assessment', homeCareNeeded: false },
      headers: hub,
    });
    expect(assign.json()).toMatchObject({ revision: 1 });
    const discharge = await t.app.inject({
      method: 'POST',
      url: `/api/discharge-cases/${caseId}/discharge`,
      payload: { dischargedAt: new Date().toISOString(), destination: '19' },
      headers: hub,
    });
    expect(discharge.json()).toMatchObject({ events: [{ type: 'PatientDischarged' }] });
    await new Promise((r) => setTimeout(r, 300));
    const shares = await t.app.inject({ method: 'GET', url: '/api/hub/pathway-shares', headers: hub });
    expect(shares.json()).toMatchObject({ today: { counts: [0, 1, 0, 0], basis: 'referred-discharges' } });
    const list = await t.app.inject({ method: 'GET', url: '/api/discharge-cases', headers: ward });
    expect(list.json()).toHaveLength(1);
    const third = await t.app.inject({ method: 'POST', url: '/api/discharge-cases', payload: referral, headers: ward });
    expect(third.statusCode).toBe(201);
  });
});
