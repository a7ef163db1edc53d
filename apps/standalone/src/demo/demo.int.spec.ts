import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventStore } from '@app/event-sourcing';
import { EVENT_STORE } from '@app/platform';
import { loadReferenceData } from '@app/reference-data';
import { ControllableClock } from '@app/time';
import { startTestApp } from '../../../../test/support/app';
import { StandaloneModule } from '../standalone.module';
import { Simulator, type SimulatorStats } from './simulator';

const START = '2026-03-02T00:00:00.000Z'; // London midnight (GMT)
const END = '2026-03-04T00:00:00.000Z';
const SEED = 2026;

interface Run {
  trace: string[];
  stats: SimulatorStats;
  log: string[];
  eventCounts: Record<string, number>;
  /** Every name, NHS number, date of birth and postcode the run referred, read back as the hub sees them. */
  personalData: string[];
  split: Record<number, number>;
}

async function play(seed: number): Promise<Run> {
  const clock = new ControllableClock(START);
  const t = await startTestApp((o) => StandaloneModule.forRoot({ ...o, deadlineTickMs: 3_600_000 }), {
    clock,
    env: { SQLITE_SYNCHRONOUS: 'NORMAL' },
  });
  try {
    const log: string[] = [];
    const simulator = new Simulator(t.app, {
      seed,
      clock,
      referenceData: loadReferenceData(),
      referralsPerDay: 80,
      log: (line) => log.push(line),
    });
    await simulator.init();
    await simulator.runUntil(new Date(END));

    const hub = await t.as('hub.coordinator');
    const personalData: string[] = [];
    for (const status of ['referred', 'accepted', 'returned', 'withdrawn', 'discharged']) {
      const rows = (await t.app.inject({ method: 'GET', url: `/api/discharge-cases?status=${status}`, headers: hub })).json();
      for (const row of rows as { caseId: string }[]) {
        const read = (await t.app.inject({ method: 'GET', url: `/api/discharge-cases/${row.caseId}`, headers: hub })).json();
        const identity = read.identity as Record<string, string> | null;
        if (identity) personalData.push(...Object.values(identity).filter((v) => typeof v === 'string' && v.length > 0));
      }
    }
    const events = await t.app.get<EventStore>(EVENT_STORE).readAll({ maxCount: 1_000_000 });
    const eventCounts: Record<string, number> = {};
    for (const event of events) eventCounts[event.type] = (eventCounts[event.type] ?? 0) + 1;
    return {
      trace: simulator.trace,
      stats: simulator.stats,
      log,
      eventCounts,
      personalData,
      split: simulator.targetSplit.percent,
    };
  } finally {
    await t.destroy();
  }
}

describe('npm run demo: the simulator', () => {
  let first: Run;
  let second: Run;

  beforeAll(async () => {
    first = await play(SEED);
    second = await play(SEED);
    // To see where two runs part: DEMO_TRACE_DIR=/tmp npx jest apps/standalone/src/demo --selectProjects int
    if (process.env.DEMO_TRACE_DIR) {
      writeFileSync(join(process.env.DEMO_TRACE_DIR, 'demo-trace-1.txt'), first.trace.join('\n'));
      writeFileSync(join(process.env.DEMO_TRACE_DIR, 'demo-trace-2.txt'), second.trace.join('\n'));
    }
  }, 120_000);

  it('is repeatable: the same seed plays the same commands in the same order with the same outcomes and counts', () => {
    expect(second.trace.length).toBe(first.trace.length);
    expect(second.trace).toEqual(first.trace);
    expect(second.stats).toEqual(first.stats);
    expect(second.eventCounts).toEqual(first.eventCounts);
  });

  it('assigns pathways near the configured target split', () => {
    const assigned = first.stats.pathways;
    const total = assigned[0] + assigned[1] + assigned[2] + assigned[3];
    expect(total).toBeGreaterThanOrEqual(100);
    for (const pathway of [0, 1, 2, 3] as const) {
      const share = (100 * assigned[pathway]) / total;
      expect(Math.abs(share - first.split[pathway])).toBeLessThanOrEqual(3);
    }
  });

  it('gives every context activity: cases, DRD resets and delays, reservations, capacity returns, offers and answers, closures, community referrals', () => {
    const s = first.stats;
    expect(s.referrals).toBeGreaterThanOrEqual(100);
    expect(s.accepted).toBeGreaterThan(0);
    expect(s.discharges[0]).toBeGreaterThan(0);
    expect(s.discharges[1] + s.discharges[2] + s.discharges[3]).toBeGreaterThan(0);
    expect(s.ctrNotMet).toBeGreaterThan(0);
    expect(s.drdResets).toBeGreaterThan(0);
    expect(s.delaysOpened).toBeGreaterThan(0);
    expect(s.primaryChanges).toBeGreaterThan(0);
    expect(s.reservations).toBeGreaterThan(0);
    expect(s.capacityReturns).toBeGreaterThan(0);
    expect(s.offers).toBeGreaterThan(0);
    expect(s.offersAccepted).toBeGreaterThan(0);
    expect(s.bedClosures).toBeGreaterThan(0);
    expect(s.siteClosures).toBeGreaterThan(0);
    expect(s.communityReferrals).toBeGreaterThan(0);
    const e = first.eventCounts;
    for (const type of [
      'ReferralSubmitted',
      'PathwayAssigned',
      'PatientDischarged',
      'CriteriaToResideMetAgain',
      'DelayOpened',
      'PrimaryDelayChanged',
      'CapacityDeclared',
      'BedReserved',
      'PatientAdmitted',
      'PackageAccepted',
      'PlacementArranged',
      'CommunityReferralSubmitted',
      'CommunityReferralTriaged',
      'FirstResponseRecorded',
      'CareStarted',
    ]) {
      expect({ type, count: e[type] ?? 0 }).toEqual({ type, count: expect.any(Number) });
      expect(e[type] ?? 0).toBeGreaterThan(0);
    }
  });

  it('logs one line per simulated hour, with counts only: no names, NHS numbers, dates of birth or postcodes', () => {
    expect(first.log.length).toBeGreaterThanOrEqual(47);
    expect(first.personalData.length).toBeGreaterThan(400);
    const output = first.log.join('\n');
    for (const value of first.personalData) expect(output).not.toContain(value);
    expect(output).not.toMatch(/\b999\s?\d{3}\s?\d{4}\b/);
    expect(first.trace.join('\n')).not.toMatch(/\b999\d{7}\b/);
  });
});
