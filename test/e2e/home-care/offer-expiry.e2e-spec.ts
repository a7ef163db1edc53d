import type { EventStore } from '@app/event-sourcing';
import { DeadlineScheduler, EVENT_STORE } from '@app/platform';
import { ControllableClock } from '@app/time';
import { StandaloneModule } from '../../../apps/standalone/src/standalone.module';
import { startTestApp, type TestApp } from '../../support/app';
import { HUB, homeCareApi, MENDIP, MENDIP_ID } from './home-care-api';

const TODAY = '2026-11-25';

describe('home-care offers on the durable deadline', () => {
  const clock = new ControllableClock(`${TODAY}T10:00:00Z`);
  const start = (dataDir?: string) =>
    startTestApp((o) => StandaloneModule.forRoot({ ...o, deadlineTickMs: 3_600_000 }), { clock, dataDir });
  let t: TestApp;
  afterAll(() => t?.destroy());

  it('given an open offer, when its expiry passes and the scheduler ticks, then the offer expires, its hours are released and it can no longer be accepted', async () => {
    t = await start();
    const api = homeCareApi(t);
    const { packageId } = await api.packageRequested(10);
    await api.ok(api.declare(MENDIP, MENDIP_ID, { locality: 'SEDGEMOOR', date: TODAY, hoursPerWeek: 10, newPackages: 1 }));
    const { offerId } = await api.ok(
      api.offer(packageId, { providerId: MENDIP_ID, startOn: TODAY, expiresAt: `${TODAY}T10:30:00Z` }),
      201,
    );
    expect(await api.cell(MENDIP_ID, 'SEDGEMOOR', TODAY)).toMatchObject({ heldHours: 10, freeHours: 0 });

    const scheduler = t.app.get(DeadlineScheduler);
    await scheduler.whenCaughtUp();
    await waitFor(() => scheduler.pendingDeadlines().some((d) => d.deadlineId === `home-care:offer:${packageId}:${offerId}`));
    expect(await scheduler.tick()).toBe(0);

    await clock.advance({ minutes: 31 });
    expect(await scheduler.tick()).toBeGreaterThanOrEqual(1);
    await api.settle();

    expect(await api.cell(MENDIP_ID, 'SEDGEMOOR', TODAY)).toMatchObject({ heldHours: 0, committedHours: 0, freeHours: 10 });
    expect(await api.ok(api.package(HUB, packageId))).toMatchObject({
      status: 'requested',
      offers: [expect.objectContaining({ offerId, status: 'expired' })],
    });
    const late = await api.answer(MENDIP, packageId, offerId, 'accept');
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'OFFER_NOT_OPEN' });
    const waiting = await api.ok(api.get(HUB, '/api/home-care/waiting'));
    expect(waiting.find((w: { packageId: string }) => w.packageId === packageId)).toMatchObject({ offersOut: 0 });

    // The hold outlives the offer by its grace period; lapsing it now decides nothing.
    await clock.advance({ minutes: 61 });
    await scheduler.tick();
    await api.settle();
    expect(await api.cell(MENDIP_ID, 'SEDGEMOOR', TODAY)).toMatchObject({ heldHours: 0, freeHours: 10 });
  });

  it('given a store that already has providers, when the app restarts, then nothing is seeded again', async () => {
    const store = t.app.get<EventStore>(EVENT_STORE);
    const before = (await store.readAll({ categories: ['provider'] })).length;
    await t.close();
    t = await start(t.dataDir);
    const after = await t.app.get<EventStore>(EVENT_STORE).readAll({ categories: ['provider'] });
    expect(before).toBe(7);
    expect(after).toHaveLength(7);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
