import { ControllableClock } from '@app/time';
import { StandaloneModule } from '../../../apps/standalone/src/standalone.module';
import { startTestApp, type TestApp } from '../../support/app';
import { aReferral } from '../../support/discharge';
import { aCommunityReferral, communityReferralsApi, HUB, MENDIP, MENDIP_ID, WARD } from './community-referrals-api';

const TODAY = '2026-11-25';

describe('community referrals over HTTP: step-up and end of life through the same hub', () => {
  const clock = new ControllableClock(`${TODAY}T10:00:00Z`);
  let t: TestApp;
  let api: ReturnType<typeof communityReferralsApi>;
  let sharesBefore: unknown;
  beforeAll(async () => {
    t = await startTestApp((o) => StandaloneModule.forRoot(o), { clock });
    api = communityReferralsApi(t);
    await api.settle();
    sharesBefore = await api.pathwayShares();
  });
  afterAll(() => t.destroy());

  it('an end-of-life request from a hospice → triage to a bed → an end-of-life bed request in the bed base → the hub reserves an end-of-life bed → care arranged → care starts in the bed', async () => {
    const { referralId, alsoOpen } = await api.submitted(
      aCommunityReferral({ kind: 'end-of-life', source: 'hospice', referrerOrganisation: 'NJ1', urgency: 'routine' }),
    );
    expect(alsoOpen).toBeNull();
    await api.ok(api.act(referralId, 'triage', { outcome: 'bed', reason: 'preferred-place-of-care-bed' }));
    await api.settle();

    const requests = await api.ok(api.get(HUB, '/api/bed-base/requests'));
    const request = requests.find((r: { caseId: string }) => r.caseId === referralId);
    expect(request).toMatchObject({ caseId: referralId, origin: 'community-referral', pathway: 2, bedCategory: 'end-of-life' });

    const recommendation = await api.ok(api.get(HUB, `/api/bed-base/requests/${request.requestId}/recommendation`));
    expect(recommendation.noBedFits).toBe(false);
    const [top] = recommendation.ranked;
    const reserved = await api.ok(
      api.post(HUB, `/api/bed-base/requests/${request.requestId}/reservations`, { bedId: top.bedId }),
      201,
    );
    await api.settle();

    const board = await api.ok(api.get(HUB, '/api/bed-base/beds'));
    expect(board.find((b: { bedId: string }) => b.bedId === top.bedId)).toMatchObject({
      status: 'reserved',
      caseId: referralId,
      category: 'end-of-life',
    });
    const arranged = (await api.history(referralId)).find((e) => e.type === 'CareArranged');
    expect(arranged?.data).toMatchObject({ setting: 'bed', source: 'bed-reservation', sourceId: reserved.reservationId });

    await api.ok(api.act(referralId, 'start', { startedAt: `${TODAY}T10:00:00Z` }));
    await api.settle();
    const occupied = (await api.ok(api.get(HUB, '/api/bed-base/beds'))).find((b: { bedId: string }) => b.bedId === top.bedId);
    expect(occupied).toMatchObject({ status: 'occupied', caseId: referralId });
    expect((await api.read(referralId)).status).toBe('active');
  });

  it('a step-up → triage to support at home → the package request in home care → a provider posts capacity, the hub offers, the provider accepts → care arranged and the hours committed on the ledger', async () => {
    const { referralId } = await api.submitted(aCommunityReferral({ source: 'rapid-response', urgency: 'routine' }));
    await api.ok(
      api.act(referralId, 'triage', { outcome: 'support-at-home', reason: 'safe-at-home-with-support', hoursPerWeek: 12 }),
    );
    await api.settle();

    const waiting = await api.ok(api.get(HUB, '/api/home-care/waiting'));
    const row = waiting.find((w: { referralId: string | null }) => w.referralId === referralId);
    expect(row).toMatchObject({ caseId: null, status: 'requested', area: 'SEDGEMOOR', hoursPerWeek: 12 });

    await api.ok(
      api.post(MENDIP, `/api/home-care/providers/${MENDIP_ID}/capacity`, {
        locality: 'SEDGEMOOR',
        date: TODAY,
        hoursPerWeek: 30,
        newPackages: 2,
        staffing: { careWorkersRostered: 20, careWorkersAbsent: 1 },
      }),
    );
    const offer = await api.ok(
      api.post(HUB, `/api/home-care/packages/${row.packageId}/offers`, { providerId: MENDIP_ID, startOn: TODAY }),
      201,
    );
    await api.ok(api.post(MENDIP, `/api/home-care/packages/${row.packageId}/offers/${offer.offerId}/accept`));
    await api.settle();

    const grid = await api.ok(api.get(HUB, `/api/home-care/ledger?from=${TODAY}&days=1`));
    const cell = grid.providers
      .find((p: { providerId: string }) => p.providerId === MENDIP_ID)
      .localities.find((l: { locality: string }) => l.locality === 'SEDGEMOOR').days[0];
    expect(cell).toMatchObject({ declaredHours: 30, committedHours: 12, freeHours: 18 });
    const arranged = (await api.history(referralId)).find((e) => e.type === 'CareArranged');
    expect(arranged?.data).toMatchObject({ setting: 'home', source: 'home-care-package', sourceId: row.packageId });

    await api.ok(api.act(referralId, 'start', { startedAt: `${TODAY}T10:00:00Z` }));
    await api.ok(api.act(referralId, 'end', { outcome: 'admission-avoided', endedOn: TODAY }));
    await api.settle();
    expect((await api.read(referralId)).status).toBe('closed');
  });

  it('a withdrawal (admitted to hospital) before care starts closes the bed request and releases the reserved bed', async () => {
    const { referralId } = await api.submitted(aCommunityReferral({ urgency: 'routine' }));
    await api.ok(api.act(referralId, 'triage', { outcome: 'bed', reason: 'needs-24-hour-care' }));
    await api.settle();
    const request = (await api.ok(api.get(HUB, '/api/bed-base/requests'))).find(
      (r: { caseId: string }) => r.caseId === referralId,
    );
    expect(request.bedCategory).toBe('step-down');
    const [top] = (await api.ok(api.get(HUB, `/api/bed-base/requests/${request.requestId}/recommendation`))).ranked;
    await api.ok(api.post(HUB, `/api/bed-base/requests/${request.requestId}/reservations`, { bedId: top.bedId }), 201);
    await api.settle();

    await api.ok(api.act(referralId, 'withdraw', { reason: 'admitted-to-hospital', note: 'Admitted via ED' }));
    await api.settle();
    const requests = await api.ok(api.get(HUB, '/api/bed-base/requests'));
    expect(requests.find((r: { caseId: string }) => r.caseId === referralId)).toBeUndefined();
    const bed = (await api.ok(api.get(HUB, '/api/bed-base/beds'))).find((b: { bedId: string }) => b.bedId === top.bedId);
    expect(bed).toMatchObject({ status: 'open', caseId: null });
    const withdrawn = (await api.history(referralId)).find((e) => e.type === 'CommunityReferralWithdrawn') as { note?: string };
    expect(withdrawn.note).toBe('Admitted via ED');
  });

  it('the same person with an open discharge case: both are open, and the hub sees both from either side', async () => {
    const referral = aReferral();
    const caseId = (await api.ok(api.post(WARD, '/api/discharge-cases', referral), 201)).caseId;
    const submitted = await api.submitted(aCommunityReferral({ patient: referral.patient }));
    expect(submitted.alsoOpen).toEqual({ kind: 'discharge-case', id: caseId });

    expect((await api.read(submitted.referralId)).alsoOpen).toEqual({ kind: 'discharge-case', id: caseId });
    const asHub = await api.ok(api.get(HUB, `/api/discharge-cases/${caseId}`));
    expect(asHub.alsoOpen).toEqual({ kind: 'community-referral', id: submitted.referralId });
    const asWard = await api.ok(api.get(WARD, `/api/discharge-cases/${caseId}`));
    expect(asWard).not.toHaveProperty('alsoOpen');

    // A second community referral for the same person is a duplicate (409); a second discharge case still is too.
    const again = await api.post(HUB, '/api/community-referrals', aCommunityReferral({ patient: referral.patient }));
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'OPEN_COMMUNITY_REFERRAL_EXISTS' });

    // Once the discharge case closes, a new one submitted by the hub says the referral is still open.
    await api.ok(api.post(HUB, `/api/discharge-cases/${caseId}/withdraw`, { reason: 'no-longer-needed' }));
    await api.settle();
    const second = await api.ok(api.post(HUB, '/api/discharge-cases', { ...aReferral(), patient: referral.patient }), 201);
    expect(second.alsoOpen).toEqual({ kind: 'community-referral', id: submitted.referralId });

    // And when the referral closes, the person's record lets go of it.
    await api.ok(api.act(submitted.referralId, 'withdraw', { reason: 'no-longer-needed' }));
    await api.settle();
    expect((await api.ok(api.get(HUB, `/api/discharge-cases/${second.caseId}`))).alsoOpen).toBeNull();
  });

  it('none of it moves the pathway shares; the measures count it as community activity', async () => {
    await api.settle();
    // The view's position moves with the discharge cases of the "seeing both" test (none discharged); every count stays.
    const { position: _moved, ...shares } = await api.pathwayShares();
    const { position: _before, ...before } = sharesBefore as Record<string, unknown>;
    expect(shares).toEqual(before);
    expect(shares.today).toMatchObject({ counts: [0, 0, 0, 0], total: 0 });
    const measures = await api.measures();
    expect(measures).toMatchObject({
      countsInPathwayShares: false,
      endOfLife: { requests: 1, metInBed: 1, metAtHome: 0 },
      outcomes: { admissionAvoided: 1, triage: { bed: 2, 'support-at-home': 1 } },
    });
    expect(measures.daysFromReferralToStart['step-up']).toMatchObject({ count: 1, mean: 0 });
  });

  it('refuses what the rules refuse, with codes, and is the hub’s only', async () => {
    const { referralId } = await api.submitted(aCommunityReferral({ kind: 'end-of-life', urgency: 'routine' }));
    const badCategory = await api.act(referralId, 'triage', {
      outcome: 'bed',
      reason: 'preferred-place-of-care-bed',
      bedCategory: 'rehab',
    });
    expect(badCategory.statusCode).toBe(422);
    expect(badCategory.json()).toMatchObject({ code: 'END_OF_LIFE_NEEDS_END_OF_LIFE_BED' });
    const start = await api.act(referralId, 'start', { startedAt: `${TODAY}T10:00:00Z` });
    expect(start.statusCode).toBe(409);
    expect((await api.post(HUB, '/api/community-referrals', { ...aCommunityReferral(), kind: 'step-down' })).statusCode).toBe(
      400,
    );
    expect((await api.post(WARD, '/api/community-referrals', aCommunityReferral())).statusCode).toBe(403);
    expect((await api.get(MENDIP, `/api/community-referrals/${referralId}`)).statusCode).toBe(403);
  });
});
