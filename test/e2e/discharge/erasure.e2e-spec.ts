import { randomUUID } from 'node:crypto';
import { ControllableClock } from '@app/time';
import { StandaloneModule } from '../../../apps/standalone/src/standalone.module';
import { startTestApp, type TestApp } from '../../support/app';
import { aReferral, dischargeApi } from '../../support/discharge';

const WARD = 'ward.musgrove';
const HUB = 'hub.coordinator';

describe('erasure of a person’s identity', () => {
  let t: TestApp;
  let api: ReturnType<typeof dischargeApi>;
  const clock = new ControllableClock('2026-11-25T10:00:00Z');
  beforeAll(async () => {
    t = await startTestApp((o) => StandaloneModule.forRoot(o), { clock });
    api = dischargeApi(t);
  });
  afterAll(() => t.destroy());

  const dischargedWithNotes = async () => {
    const referral = aReferral({ note: 'Lives with her sister at 4 Mill Lane' });
    const caseId = await api.referred(WARD, referral);
    await api.done(HUB, caseId, 'pathway', { pathway: 1, reason: 'mdt-assessment', homeCareNeeded: true });
    await api.done(WARD, caseId, 'criteria-to-reside/not-met', { from: '2026-11-22' });
    await api.done(HUB, caseId, 'delays', { delayId: randomUUID(), reasonCode: 'CAP-P1', note: 'Sister away until Friday' });
    const discharged = await api.done(HUB, caseId, 'discharge', { dischargedAt: '2026-11-25T09:00:00Z', destination: '19' });
    return { caseId, referral, position: discharged.position as string };
  };

  it('given a discharged case with notes, when the hub erases the identity, then identity and notes are gone and the coded facts stay', async () => {
    const { caseId, referral } = await dischargedWithNotes();
    const before = (await api.read(HUB, caseId)).json();
    expect(before).toMatchObject({ identityErased: false, identity: { familyName: 'Lovelace' } });
    expect(before.history[0].note).toBe('Lives with her sister at 4 Mill Lane');

    const erased = await api.act(HUB, caseId, 'erase-identity');

    expect(erased.statusCode).toBe(200);
    expect(erased.json().events).toEqual([expect.objectContaining({ type: 'IdentityErased' })]);
    const after = await api.read(HUB, caseId);
    expect(after.json()).toMatchObject({ status: 'discharged', identity: null, identityErased: true });
    const notes = after
      .json()
      .history.filter((e: object) => 'note' in e)
      .map((e: { note: unknown }) => e.note);
    expect(notes).toEqual([null, null]);
    expect(after.body).not.toContain('Lovelace');
    expect(after.body).not.toContain('Mill Lane');
    expect(after.body).not.toContain(referral.patient.nhsNumber);
    expect(after.json().history.find((e: { type: string }) => e.type === 'PatientDischarged').data).toMatchObject({
      pathway: 1,
      dischargeReadyDate: '2026-11-22',
      delayDays: 3,
    });
  });

  it('given an erased case, then it still counts in the pathway shares and the list shows no person', async () => {
    const { position } = await dischargedWithNotes();
    await api.caughtUp('pathway-shares', position);
    const counted = (await api.pathwayShares(HUB, '?date=2026-11-25')).json().today.referred.counts[1];
    const { caseId } = await dischargedWithNotes();

    const erased = await api.done(HUB, caseId, 'erase-identity');

    await api.caughtUp('pathway-shares', erased.position);
    await api.caughtUp('discharge-case-list', erased.position);
    expect((await api.pathwayShares(HUB, '?date=2026-11-25')).json().today.referred.counts[1]).toBe(counted + 1);
    const row = ((await api.list(HUB)).json() as Array<{ caseId: string; person: unknown }>).find((c) => c.caseId === caseId);
    expect(row).toMatchObject({ status: 'discharged', person: null });
  });

  it('given an erased case, when it is erased again, then nothing more is written; and no new note can be kept', async () => {
    const { caseId } = await dischargedWithNotes();
    await api.done(HUB, caseId, 'erase-identity');

    const again = await api.act(HUB, caseId, 'erase-identity');
    const byAdmin = await api.act('admin', caseId, 'erase-identity');

    expect([again.statusCode, byAdmin.statusCode]).toEqual([200, 200]);
    expect(again.json().events).toEqual([]);
    expect(byAdmin.json().events).toEqual([]);
    expect((await api.history(HUB, caseId)).filter((e) => e.type === 'IdentityErased')).toHaveLength(1);
  });

  it('given a ward, when it asks to erase an identity, then it is 403 and the identity stays', async () => {
    const caseId = await api.referred(WARD);

    const response = await api.act(WARD, caseId, 'erase-identity');

    expect(response.statusCode).toBe(403);
    expect((await api.read(WARD, caseId)).json()).toMatchObject({ identityErased: false, identity: { givenName: 'Ada' } });
  });
});
