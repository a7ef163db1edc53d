import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type NewEvent } from '@app/event-sourcing';
import { LiveProjection } from './live-projection';
import type { Projection } from './projection';
import { SqliteSnapshotStore } from './sqlite-snapshot-store';

type Tally = { byLocality: Record<string, number>; seen: number };
const tally: Projection<Tally> = {
  name: 'referrals-by-locality',
  version: 1,
  categories: ['referral'],
  initial: () => ({ byLocality: {}, seen: 0 }),
  evolve: (view, event) => {
    const { locality } = event.data as { locality: string };
    return { byLocality: { ...view.byLocality, [locality]: (view.byLocality[locality] ?? 0) + 1 }, seen: view.seen + 1 };
  },
};

const actor = { userId: 'ward.musgrove', role: 'ward' as const, organisation: 'RH5' };
const referral = (locality: string): NewEvent => ({
  id: randomUUID(),
  type: 'ReferralReceived',
  data: { locality },
  metadata: { correlationId: randomUUID(), causationId: randomUUID(), actor },
  occurredAt: '2026-11-23T09:00:00.000Z',
});

describe('a live projection', () => {
  let dir: string;
  let now: Date;
  let store: SqliteEventStore;
  let snapshots: SqliteSnapshotStore;
  const open = () => {
    store = new SqliteEventStore({ filename: join(dir, 'hub.sqlite'), clock: () => now, pollIntervalMs: 5 });
    snapshots = new SqliteSnapshotStore(join(dir, 'snapshots.sqlite'));
  };
  const refer = (locality: string) =>
    store.appendToStream(`referral-${randomUUID()}`, [referral(locality)], { expectedRevision: 'no_stream' });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'toc-projection-'));
    now = new Date('2026-11-23T09:00:00.000Z');
    open();
  });
  afterEach(async () => {
    await store.close();
    snapshots.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('given history and live appends, then the live view equals a rebuild from the first event', async () => {
    for (let i = 0; i < 30; i++) await refer(i % 3 === 0 ? 'MENDIP' : 'SEDGEMOOR');
    const live = new LiveProjection(tally, { store, snapshots, snapshotEvery: 7 });
    await live.start();
    await live.ready;
    const last = await Promise.all(Array.from({ length: 20 }, () => refer('SOUTH_SOMERSET')));
    await live.caughtUpTo(last.map((r) => r.position).reduce((a, b) => (a > b ? a : b)));
    expect(live.current().view).toEqual((await live.rebuild()).view);
    expect(live.current().view).toEqual({ byLocality: { MENDIP: 10, SEDGEMOOR: 20, SOUTH_SOMERSET: 20 }, seen: 50 });
    await live.stop();
  });

  it('given a snapshot, when the projection restarts, then it resumes after it and counts nothing twice', async () => {
    for (let i = 0; i < 25; i++) await refer('MENDIP');
    const first = new LiveProjection(tally, { store, snapshots, snapshotEvery: 10 });
    await first.start();
    await first.ready;
    await first.stop();
    expect((await snapshots.latest('referrals-by-locality', 1))?.position).toBe((await store.headPosition())!);

    await refer('MENDIP');
    const second = new LiveProjection(tally, { store, snapshots });
    await second.start();
    await second.ready;
    expect(second.current().view).toEqual({ byLocality: { MENDIP: 26 }, seen: 26 });
    await second.stop();
  });

  it('given events recorded over the morning, then as-of 10:00 answers with only what was known by 10:00', async () => {
    const live = new LiveProjection(tally, { store, snapshots, snapshotEvery: 3 });
    await live.start();
    for (const [time, locality] of [
      ['08:00', 'MENDIP'],
      ['09:00', 'MENDIP'],
      ['09:30', 'SEDGEMOOR'],
      ['09:59', 'SEDGEMOOR'],
      ['10:01', 'MENDIP'],
      ['11:00', 'SOUTH_SOMERSET'],
      ['12:00', 'SOUTH_SOMERSET'],
    ] as const) {
      now = new Date(`2026-11-23T${time}:00.000Z`);
      const { position } = await refer(locality);
      await live.caughtUpTo(position);
    }
    const asOfTen = await live.asOf('2026-11-23T10:00:00.000Z');
    expect(asOfTen.view).toEqual({ byLocality: { MENDIP: 2, SEDGEMOOR: 2 }, seen: 4 });
    expect((await live.asOf('2026-11-23T07:00:00.000Z')).view).toEqual({ byLocality: {}, seen: 0 });
    expect((await live.asOf('2026-11-23T23:00:00.000Z')).view).toEqual(live.current().view);
    await live.stop();
  });
});
