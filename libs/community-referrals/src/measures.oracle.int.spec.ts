import type Database from 'better-sqlite3';
import { deterministicUuid, DomainRefusal, type Actor, type Command } from '@app/event-sourcing';
import { defaultReferenceDataFile, loadReferenceData } from '@app/reference-data';
import { londonDate } from '@app/time';
import { closeOracle, forEachEvent, openOracleDatabase, openOracleStore, type OracleStore } from '../../../test/support/oracle';
import { DAY, dispatcherFor, HOUR, MINUTE, second, seeded, Timeline, type Step } from '../../../test/support/simulation';
import { communityReferralsContext } from './community-referrals.context';
import {
  CARE_OUTCOMES,
  careRequestIdFor,
  REFERRAL_KINDS,
  TRIAGE_OUTCOMES,
  TRIAGE_REASONS,
  WITHDRAWAL_REASONS,
  type TriageOutcome,
} from './intermediate-care-referral';
import {
  communityReferralMeasures,
  summariseCommunityReferrals,
  type CommunityReferralMeasuresView,
  type ExistingReferral,
} from './measures';
import { needs } from './testing/builders';

/**
 * The naive oracle for the community-referral measures: a seeded history of referrals driven through the real
 * `IntermediateCareReferral` decider (via the CommandDispatcher), then every figure `GET
 * /api/community-referrals/measures` reports recomputed with plain SQL over the `events` table, as of a few
 * instants, and compared with the `community-referral-measures` projection summarised at the same instant.
 * The history crosses the autumn clock change (25 Oct 2026) and the October/November month edge.
 */
const referenceData = loadReferenceData(defaultReferenceDataFile());
const hub: Actor = { userId: 'hub.coordinator', role: 'hub', organisation: 'TOCH' };
const system: Actor = { userId: 'deadline-scheduler', role: 'system', organisation: 'TOCH' };
const START = Date.parse('2026-10-18T00:00:00Z');
const REFERRALS = 150;
/** `now` for the measures: London mornings, evenings and the small hours around the clock change and month edge. */
const INSTANTS = [
  '2026-10-22T12:00:00.000Z',
  '2026-10-24T23:30:00.000Z', // 00:30 BST on the 25th
  '2026-10-25T00:59:59.000Z', // the last BST second
  '2026-10-25T01:30:00.000Z', // 01:30 GMT, after the change
  '2026-10-26T09:00:00.000Z',
  '2026-10-31T23:59:59.000Z', // month edge
  '2026-11-01T00:00:00.000Z',
  '2026-11-03T17:45:00.000Z',
  '2026-11-20T12:00:00.000Z',
  '2027-01-31T12:00:00.000Z', // after the history
];

interface Summary {
  referrals: number;
  commands: number;
  refusals: Record<string, number>;
}

async function generateCommunityHistory(opened: OracleStore, seed: number): Promise<Summary> {
  const { store, clock } = opened;
  const dispatcher = dispatcherFor(store, [communityReferralsContext(referenceData)]);
  const rng = seeded(seed);
  const areas = referenceData.areas.map((a) => a.code);
  const ageBands = referenceData.contents.ageBands.map((b) => b.code);
  const summary: Summary = { referrals: 0, commands: 0, refusals: {} };
  let commandNo = 0;
  const send = async (type: string, data: Record<string, unknown>, at: number, actor: Actor = hub) => {
    const commandId = deterministicUuid(`community-oracle:${seed}:${++commandNo}`);
    summary.commands += 1;
    try {
      const metadata = { commandId, correlationId: commandId, actor, now: new Date(at).toISOString() };
      return await dispatcher.dispatch({ type, data, metadata } as Command, { retries: 3 });
    } catch (error) {
      if (!(error instanceof DomainRefusal)) throw error;
      summary.refusals[error.code] = (summary.refusals[error.code] ?? 0) + 1;
      return undefined;
    }
  };
  const iso = (ms: number) => new Date(ms).toISOString();
  const timeline = new Timeline();

  for (let n = 0; n < REFERRALS; n++) {
    const referralId = deterministicUuid(`community-oracle:${seed}:referral:${n}`);
    const kind = rng.chance(0.3) ? 'end-of-life' : 'step-up';
    const urgency = rng.chance(kind === 'step-up' ? 0.65 : 0.25) ? 'urgent' : 'routine';
    // A third land in the small hours (23:00–01:30 UTC), where UTC and London dates part before the change.
    const day = rng.int(0, 16);
    const submittedAt = second(
      START + day * DAY + (rng.chance(0.33) ? 23 * HOUR + rng.int(0, 150) * MINUTE : rng.int(6 * 60, 21 * 60) * MINUTE),
    );
    let triages = 0;

    const endCare = (at: number): Step => ({
      at,
      run: async () => {
        await send('EndCare', { referralId, outcome: rng.pick(CARE_OUTCOMES), endedOn: londonDate(new Date(at)) }, at);
      },
    });
    const startCare = (at: number): Step => ({
      at,
      run: async () => {
        const startedAt = second(at - rng.int(0, 6 * 60) * MINUTE);
        const started = await send('StartCare', { referralId, startedAt: iso(Math.max(startedAt, submittedAt)) }, at);
        if (started && rng.chance(0.75)) return [endCare(at + rng.int(2, 20) * DAY + rng.int(0, 10) * HOUR)];
      },
    });
    const withdraw = (at: number): Step => ({
      at,
      run: async () => {
        await send('WithdrawCommunityReferral', { referralId, reason: rng.pick(WITHDRAWAL_REASONS) }, at);
      },
    });
    const triage = (at: number, outcome: TriageOutcome): Step => ({
      at,
      run: async () => {
        const hoursPerWeek = outcome === 'support-at-home' ? (rng.chance(0.3) ? 0 : rng.int(5, 30)) : undefined;
        const data = { referralId, outcome, reason: rng.pick(TRIAGE_REASONS[outcome]), hoursPerWeek };
        const result = await send('TriageCommunityReferral', data, at);
        if (!result) return;
        triages += 1;
        if (outcome === 'signposted' || outcome === 'declined') return;
        const roll = rng.next();
        if (roll < 0.1) return [withdraw(at + rng.int(1, 72) * HOUR)];
        if (roll < 0.2 && outcome === 'support-at-home') return [triage(at + rng.int(2, 30) * HOUR, 'bed')];
        if (roll < 0.25) return; // still waiting for care
        const next = at + rng.int(1, 96) * HOUR + rng.int(0, 59) * MINUTE;
        if (hoursPerWeek === 0) return [startCare(next)];
        const requestId = careRequestIdFor(referralId, triages);
        const source = outcome === 'bed' ? 'bed-reservation' : 'home-care-package';
        return [
          {
            at: next,
            run: async () => {
              const sourceId = deterministicUuid(`${referralId}:${requestId}:arranged`);
              const arranged = await send('ArrangeCare', { referralId, requestId, source, sourceId }, next);
              if (arranged) return [startCare(next + rng.int(0, 48) * HOUR + rng.int(1, 59) * MINUTE)];
            },
          },
        ];
      },
    });

    timeline.schedule({
      at: submittedAt,
      run: async () => {
        const data = {
          referralId,
          patientId: deterministicUuid(`community-oracle:${seed}:patient:${n}`),
          kind,
          source: kind === 'end-of-life' ? 'hospice' : rng.pick(['gp', 'rapid-response', 'community-team']),
          referrerOrganisation: 'L85001',
          area: rng.pick(areas),
          ageBand: rng.pick(ageBands),
          needs: needs({ careHoursPerWeek: rng.int(0, 40) }),
          urgency,
        };
        if (!(await send('SubmitCommunityReferral', data, submittedAt))) return;
        summary.referrals += 1;
        const steps: Step[] = [];
        // The first response: within, exactly on, or after the two hours; some never come.
        if (rng.chance(urgency === 'urgent' ? 0.8 : 0.5)) {
          const minutes = rng.chance(0.05) ? 120 : rng.int(5, 260);
          const respondedAt = submittedAt + minutes * MINUTE + rng.int(0, 59) * 1000;
          const recordAt = respondedAt + rng.int(0, 90) * MINUTE;
          steps.push({
            at: recordAt,
            run: async () => {
              await send('RecordFirstResponse', { referralId, respondedAt: iso(respondedAt) }, recordAt);
            },
          });
        }
        // The durable deadline, as the scheduler fires it (a no-op once answered or closed).
        if (urgency === 'urgent') {
          const dueAt = submittedAt + 120 * MINUTE + rng.int(0, 5) * 1000;
          steps.push({
            at: dueAt,
            run: async () => {
              await send('RaiseResponseBreach', { referralId }, dueAt, system);
            },
          });
        }
        const roll = rng.next();
        const triageAt = submittedAt + rng.int(20, 30 * 60) * MINUTE;
        if (roll < 0.08) steps.push(withdraw(triageAt));
        else if (roll < 0.9) {
          const outcome = rng.weighted<TriageOutcome>([
            ['support-at-home', 45],
            ['bed', 30],
            ['signposted', 12],
            ['declined', 13],
          ]);
          steps.push(triage(triageAt, outcome));
        } // else never triaged
        return steps;
      },
    });
  }
  await timeline.run(clock);
  return summary;
}

/** The projection, folded up to `at` (recordedAt follows the simulated clock), summarised with now = `at`. */
function measuresAt(events: Array<{ recordedAt: string; fold: (v: CommunityReferralMeasuresView) => void }>, at: string) {
  const view = communityReferralMeasures.initial();
  for (const e of events) if (e.recordedAt <= at) e.fold(view);
  const states = Object.values(view.referrals).map((entry) => entry.state as ExistingReferral);
  return summariseCommunityReferrals(states, at);
}

const LD = (expr: string) => `(SELECT london_date FROM london_hour WHERE utc_hour = substr(${expr}, 1, 13))`;

/** Plain SQL over `events`, as the README's definitions state the measures. `:t` is the as-of instant. */
class Oracle {
  constructor(
    private readonly db: Database.Database,
    private readonly t: string,
  ) {}

  private all<T>(sql: string): T[] {
    return this.db.prepare(sql).all({ t: this.t }) as T[];
  }
  private one<T>(sql: string): T {
    return this.db.prepare(sql).get({ t: this.t }) as T;
  }

  static views(db: Database.Database) {
    db.exec(`
      CREATE TEMP VIEW ev AS SELECT stream_id, revision, type, data, recorded_at FROM events
        WHERE category = 'communityReferral';
      CREATE TEMP VIEW submitted AS
        SELECT stream_id, recorded_at, json_extract(data, '$.kind') AS kind, json_extract(data, '$.urgency') AS urgency,
               json_extract(data, '$.serviceLevel.id') AS level, json_extract(data, '$.respondBy') AS respond_by,
               json_extract(data, '$.submittedAt') AS submitted_at
        FROM ev WHERE type = 'CommunityReferralSubmitted';
    `);
  }

  /** Per referral as of :t: responded-at, closed?, care started, the latest triage, how it closed. */
  private get referralsSql() {
    return `
      WITH s AS (SELECT * FROM submitted WHERE recorded_at <= :t),
      e AS (SELECT * FROM ev WHERE recorded_at <= :t)
      SELECT s.stream_id, s.kind, s.urgency, s.level, s.respond_by, s.submitted_at,
        (SELECT json_extract(data, '$.respondedAt') FROM e WHERE e.stream_id = s.stream_id AND type = 'FirstResponseRecorded') AS responded_at,
        (SELECT count(*) FROM e WHERE e.stream_id = s.stream_id AND (type IN ('CareEnded', 'CommunityReferralWithdrawn')
            OR (type = 'CommunityReferralTriaged' AND json_extract(data, '$.outcome') IN ('signposted', 'declined')))) AS closed,
        (SELECT json_extract(data, '$.startedAt') FROM e WHERE e.stream_id = s.stream_id AND type = 'CareStarted') AS started_at,
        (SELECT json_extract(data, '$.outcome') FROM e WHERE e.stream_id = s.stream_id AND type = 'CommunityReferralTriaged'
            ORDER BY revision DESC LIMIT 1) AS triage,
        (SELECT json_extract(data, '$.outcome') FROM e WHERE e.stream_id = s.stream_id AND type = 'CareEnded') AS care_outcome,
        (SELECT json_extract(data, '$.reason') FROM e WHERE e.stream_id = s.stream_id AND type = 'CommunityReferralWithdrawn') AS withdrawn
      FROM s`;
  }

  referrals() {
    return this.one<{ total: number; stepUp: number; endOfLife: number }>(`
      SELECT count(*) AS total, count(*) FILTER (WHERE kind = 'step-up') AS stepUp,
             count(*) FILTER (WHERE kind = 'end-of-life') AS endOfLife
      FROM (${this.referralsSql})`);
  }

  response() {
    const r = this.one<{ within: number; over: number; overdue: number; awaiting: number; level: string | null }>(`
      WITH r AS (SELECT * FROM (${this.referralsSql}) WHERE level IS NOT NULL AND respond_by IS NOT NULL)
      SELECT
        count(*) FILTER (WHERE responded_at IS NOT NULL AND julianday(responded_at) <= julianday(respond_by)) AS within,
        count(*) FILTER (WHERE responded_at IS NOT NULL AND julianday(responded_at) > julianday(respond_by)) AS over,
        count(*) FILTER (WHERE responded_at IS NULL AND closed = 0 AND julianday(:t) > julianday(respond_by)) AS overdue,
        count(*) FILTER (WHERE responded_at IS NULL AND closed = 0 AND julianday(:t) <= julianday(respond_by)) AS awaiting,
        (SELECT level FROM r WHERE responded_at IS NOT NULL OR closed = 0 LIMIT 1) AS level
      FROM r`);
    const decided = r.within + r.over + r.overdue;
    return {
      serviceLevel: r.level,
      within: r.within,
      over: r.over,
      overdue: r.overdue,
      awaiting: r.awaiting,
      percentWithin: decided === 0 ? null : Math.round((r.within / decided) * 1000) / 10,
    };
  }

  daysToStart(kind: string) {
    const days = this.all<{ d: number }>(
      `
      SELECT CAST(julianday(${LD('started_at')}) - julianday(${LD('submitted_at')}) AS INTEGER) AS d
      FROM (${this.referralsSql}) WHERE started_at IS NOT NULL AND kind = '${kind}' ORDER BY d`,
    ).map((row) => row.d);
    if (days.length === 0) return { count: 0, mean: null, median: null };
    const mid = Math.floor(days.length / 2);
    return {
      count: days.length,
      mean: Math.round((days.reduce((a, b) => a + b, 0) / days.length) * 10) / 10,
      median: days.length % 2 ? days[mid] : (days[mid - 1] + days[mid]) / 2,
    };
  }

  private countBy(column: string, codes: readonly string[]) {
    const rows = this.all<{ code: string; n: number }>(
      `SELECT ${column} AS code, count(*) AS n FROM (${this.referralsSql}) WHERE ${column} IS NOT NULL GROUP BY ${column}`,
    );
    return Object.fromEntries(codes.map((c) => [c, rows.find((r) => r.code === c)?.n ?? 0]));
  }

  outcomes() {
    const triage = this.countBy('triage', TRIAGE_OUTCOMES);
    const careEnded = this.countBy('care_outcome', CARE_OUTCOMES);
    const withdrawn = this.countBy('withdrawn', WITHDRAWAL_REASONS);
    return {
      triage,
      careEnded,
      withdrawn,
      admissionAvoided: careEnded['admission-avoided'],
      admittedToHospital: careEnded['admitted-to-hospital'] + withdrawn['admitted-to-hospital'],
    };
  }

  endOfLife() {
    return this.one<{ requests: number; metAtHome: number; metInBed: number; waiting: number }>(`
      SELECT count(*) AS requests,
        count(*) FILTER (WHERE started_at IS NOT NULL AND triage = 'support-at-home') AS metAtHome,
        count(*) FILTER (WHERE started_at IS NOT NULL AND triage = 'bed') AS metInBed,
        count(*) FILTER (WHERE started_at IS NULL AND closed = 0) AS waiting
      FROM (${this.referralsSql}) WHERE kind = 'end-of-life'`);
  }
}

describe('community-referral measures against a naive SQL oracle over a seeded history', () => {
  let opened: OracleStore;
  let db: Database.Database;
  let summary: Summary;
  const folded: Array<{ recordedAt: string; fold: (v: CommunityReferralMeasuresView) => void }> = [];

  beforeAll(async () => {
    opened = openOracleStore('community-oracle-');
    summary = await generateCommunityHistory(opened, 20261025);
    await forEachEvent(opened.store, communityReferralMeasures.categories, (event) =>
      folded.push({ recordedAt: event.recordedAt, fold: (view) => void communityReferralMeasures.evolve(view, event) }),
    );
    db = openOracleDatabase(opened.file);
    Oracle.views(db);
  }, 60_000);

  afterAll(() => closeOracle(db, opened));

  it('generated a varied history through the real decider', () => {
    expect(summary.referrals).toBe(REFERRALS);
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const ofType = (type: string, where = '1') => count(`SELECT count(*) n FROM events WHERE type = '${type}' AND ${where}`);
    expect(ofType('CommunityReferralSubmitted', `json_extract(data, '$.kind') = 'end-of-life'`)).toBeGreaterThan(20);
    expect(ofType('CommunityReferralSubmitted', `json_extract(data, '$.urgency') = 'urgent'`)).toBeGreaterThan(50);
    expect(ofType('FirstResponseRecorded', `json_extract(data, '$.withinServiceLevel') = 1`)).toBeGreaterThan(10);
    expect(ofType('FirstResponseRecorded', `json_extract(data, '$.withinServiceLevel') = 0`)).toBeGreaterThan(5);
    expect(ofType('ResponseServiceLevelBreached')).toBeGreaterThan(5);
    for (const outcome of TRIAGE_OUTCOMES) {
      expect(ofType('CommunityReferralTriaged', `json_extract(data, '$.outcome') = '${outcome}'`)).toBeGreaterThan(3);
    }
    expect(ofType('CareArranged')).toBeGreaterThan(20);
    expect(ofType('CareStarted', `json_extract(data, '$.kind') = 'end-of-life'`)).toBeGreaterThan(5);
    expect(ofType('CareEnded')).toBeGreaterThan(20);
    expect(ofType('CommunityReferralWithdrawn')).toBeGreaterThan(5);
    // Referrals whose London date differs from their UTC date, on both sides of the clock change.
    const partedDates = count(`SELECT count(*) n FROM submitted WHERE ${LD('submitted_at')} <> substr(submitted_at, 1, 10)`);
    expect(partedDates).toBeGreaterThan(5);
  });

  it.each(INSTANTS)('every measure matches the oracle at %s', (at) => {
    const measures = measuresAt(folded, at);
    const oracle = new Oracle(db, at);
    expect(measures.countsInPathwayShares).toBe(false);
    expect(measures.referrals).toEqual(oracle.referrals());
    const { definition: _r, ...response } = measures.response;
    expect(response).toEqual(oracle.response());
    for (const kind of REFERRAL_KINDS) expect(measures.daysFromReferralToStart[kind]).toEqual(oracle.daysToStart(kind));
    expect(measures.outcomes).toEqual(oracle.outcomes());
    const { definition: _e, ...endOfLife } = measures.endOfLife;
    expect(endOfLife).toEqual(oracle.endOfLife());
  });
});
