import type Database from 'better-sqlite3';
import { dischargeContext } from '@app/discharge';
import { defaultReferenceDataFile, loadReferenceData } from '@app/reference-data';
import { generateDischargeHistory, type HistorySummary } from '../../../../test/support/discharge-history';
import {
  BUCKETS,
  closeOracle,
  forEachEvent,
  openOracleDatabase,
  openOracleStore,
  type OracleStore,
} from '../../../../test/support/oracle';
import { dispatcherFor } from '../../../../test/support/simulation';
import { dischargeKpis, dischargeKpisOn, type DischargeKpisView, type KpiFilters } from '../projections/discharge-kpis';

/**
 * The naive oracle: every KPI recomputed with plain SQL over the `events` table of the store the real deciders
 * wrote, and compared with the projection. The only shared knowledge is the KPI definitions (README table) and
 * a London-date table built here, one row per UTC hour, from `londonDate()` (London offsets are whole hours).
 */
const referenceData = loadReferenceData(defaultReferenceDataFile());
const TRUSTS = ['RH5', 'RA4'];
const TODAYS = [
  '2026-03-01',
  '2026-03-07',
  '2026-03-28',
  '2026-03-29', // spring clock change
  '2026-03-30',
  '2026-03-31',
  '2026-04-01',
  '2026-04-08',
  '2026-10-01',
  '2026-10-24',
  '2026-10-25', // autumn clock change
  '2026-10-26',
  '2026-10-31',
  '2026-11-01',
  '2026-11-08',
  '2027-01-15',
];
const FILTERS: KpiFilters[] = [
  {},
  { area: 'MENDIP' },
  { hospital: 'RA4' },
  { hospital: 'RH5' },
  { ageBand: '85+' },
  { area: 'SEDGEMOOR', ageBand: '75-84' },
];

describe('discharge KPIs against a naive SQL oracle over simulator output', () => {
  let opened: OracleStore;
  let db: Database.Database;
  let view: DischargeKpisView;
  let summary: HistorySummary;

  beforeAll(async () => {
    opened = openOracleStore('kpi-oracle-');
    const { store, clock } = opened;
    const dispatcher = dispatcherFor(store, [dischargeContext(referenceData)]);
    summary = await generateDischargeHistory({ dispatcher, referenceData, clock, seed: 20261025 });

    view = dischargeKpis.initial();
    await forEachEvent(store, dischargeKpis.categories, (event) => (view = dischargeKpis.evolve(view, event)));

    db = openOracleDatabase(opened.file);
    db.exec(`CREATE TEMP TABLE days AS SELECT DISTINCT london_date AS d FROM london_hour`);
    createOracleViews(db);
  }, 180_000);

  afterAll(() => closeOracle(db, opened));

  it('generated a varied history through the real deciders', () => {
    expect(summary.cases).toBeGreaterThan(500);
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    expect(count(`SELECT count(*) n FROM events WHERE type = 'CriteriaToResideMetAgain'`)).toBeGreaterThan(20);
    expect(count(`SELECT count(*) n FROM events WHERE type = 'PrimaryDelayChanged'`)).toBeGreaterThan(20);
    expect(count(`SELECT count(*) n FROM events WHERE type = 'CaseWithdrawn'`)).toBeGreaterThan(10);
    expect(count(`SELECT count(*) n FROM events WHERE type = 'ReferralReturned'`)).toBeGreaterThan(10);
    expect(count(`SELECT count(*) n FROM events WHERE type = 'NinetyOneDayFollowUpRecorded'`)).toBeGreaterThan(20);
    expect(
      count(`SELECT count(*) n FROM events WHERE type = 'AcuteDischargesReported' AND data LIKE '%supersedes%'`),
    ).toBeGreaterThan(3);
    for (const p of [0, 1, 2, 3]) {
      expect(
        count(`SELECT count(*) n FROM events WHERE type = 'PatientDischarged' AND json_extract(data, '$.pathway') = ${p}`),
      ).toBeGreaterThan(5);
    }
  });

  describe.each(TODAYS)('on %s', (today) => {
    it.each(FILTERS.map((f) => [JSON.stringify(f), f] as const))('every KPI matches the oracle, filters %s', (_, filters) => {
      const kpis = dischargeKpisOn(view, today, referenceData, filters);
      const oracle = new Oracle(db, today, filters);

      for (const window of ['today', 'last7Days', 'monthToDate', 'rolling28Days'] as const) {
        const figures = kpis.dischargesByPathway[window];
        const expected = oracle.discharges(figures.window.firstDate, figures.window.lastDate);
        expect({ window, basis: figures.basis, counts: figures.counts }).toEqual({ window, ...expected.main });
        expect(figures.referred.counts).toEqual(expected.referred);
        expectShares(figures.shares, expected.main.counts);
        for (const set of figures.targetSets) {
          const bands = referenceData.targetSet(set.id)!.ageBands;
          const population = bands
            ? oracle.discharges(figures.window.firstDate, figures.window.lastDate, bands).main.counts
            : expected.main.counts;
          const n = population.reduce((a, b) => a + b, 0);
          expect(set.targets.map((t) => t.count)).toEqual(population);
          for (const t of set.targets) {
            const exact = n === 0 ? null : (100 * population[t.pathway]) / n;
            const met =
              exact === null || t.comparison === 'about'
                ? null
                : t.comparison === 'at-least'
                  ? exact >= t.target
                  : exact <= t.target;
            expect(t.met).toBe(met);
          }
        }
        const [home, bedded] = figures.homeFirst;
        expect(home.count).toBe(expected.main.counts[0] + expected.main.counts[1]);
        expect(bedded.count).toBe(expected.main.counts[2] + expected.main.counts[3]);

        const drd = kpis.drdToDischarge[window];
        const expectedDrd = oracle.drdToDischarge(drd.window.firstDate, drd.window.lastDate);
        expect({ count: drd.count, totalDays: drd.totalDays, distribution: drd.distribution }).toEqual(expectedDrd.all);
        for (const p of ['0', '1', '2', '3'] as const) {
          expect({ count: drd.byPathway[p].count, totalDays: drd.byPathway[p].totalDays }).toEqual(expectedDrd.byPathway[p]);
        }

        const accepted = kpis.responsiveness.referralAccepted[window];
        const assigned = kpis.responsiveness.triagedOrAssigned[window];
        const expectedResponse = oracle.responsiveness(
          accepted.limit.amount,
          assigned.limit.amount,
          drd.window.firstDate,
          drd.window.lastDate,
        );
        expect({
          accepted: [accepted.measured, accepted.withinLimit, accepted.waiting, accepted.returned],
          assigned: [assigned.measured, assigned.withinLimit, assigned.waiting],
        }).toEqual(expectedResponse);
      }

      const nctr = kpis.nctrNow;
      const expectedNctr = oracle.nctr();
      expect({
        total: nctr.total,
        byPathway: nctr.byPathway,
        byPrimaryReason: nctr.byPrimaryReason,
        byDaysWaiting: nctr.byDaysWaiting,
        feed: nctr.feed && { total: nctr.feed.total, byPathway: nctr.feed.byPathway },
      }).toEqual(expectedNctr);

      const bedDays = oracle.bedDays();
      expect({ bedDays: kpis.delayedBedDays.bedDays, people: kpis.delayedBedDays.people }).toEqual(bedDays);
      expect(kpis.delayedBedDays.costGbp).toBe(bedDays.bedDays * 395);

      const ascof = kpis.ascof2b1;
      expect(ascof).toMatchObject(oracle.ascof(ascof.cohort.from, ascof.cohort.to));
      const configured = dischargeKpisOn(view, today, referenceData, filters, {
        ascofCohort: { from: '2026-03-01', to: '2026-04-30' },
      }).ascof2b1;
      expect(configured).toMatchObject(oracle.ascof('2026-03-01', '2026-04-30'));
    });
  });
});

function expectShares(shares: Array<number | null>, counts: number[]) {
  const n = counts.reduce((a, b) => a + b, 0);
  shares.forEach((share, i) => {
    if (n === 0) return expect(share).toBeNull();
    expect(Math.abs((share as number) - (100 * counts[i]) / n)).toBeLessThanOrEqual(0.05 + 1e-9);
  });
}

const LD = (expr: string) => `(SELECT london_date FROM london_hour WHERE utc_hour = substr(${expr}, 1, 13))`;

/** Views over `events` only: referrals, NCTR periods, and when each delay became (or stopped being) primary. */
function createOracleViews(db: Database.Database) {
  db.exec(`
    CREATE TEMP VIEW referral AS
      SELECT stream_id, json_extract(data, '$.hospital') AS hospital, json_extract(data, '$.area') AS area,
             json_extract(data, '$.ageBand') AS age_band, json_extract(data, '$.submittedAt') AS submitted_at
      FROM events WHERE type = 'ReferralSubmitted';

    CREATE TEMP VIEW closure AS
      SELECT stream_id, revision, type,
             ${LD(`COALESCE(json_extract(data, '$.dischargedAt'), json_extract(data, '$.withdrawnAt'), json_extract(data, '$.returnedAt'))`)} AS on_date
      FROM events WHERE type IN ('PatientDischarged', 'CaseWithdrawn', 'ReferralReturned');

    CREATE TEMP VIEW period AS
      SELECT s.stream_id, s.revision, json_extract(s.data, '$.from') AS drd,
             (SELECT json_extract(m.data, '$.on') FROM events m
               WHERE m.stream_id = s.stream_id AND m.type = 'CriteriaToResideMetAgain' AND m.revision > s.revision
               ORDER BY m.revision LIMIT 1) AS met_again_on,
             (SELECT c.on_date FROM closure c WHERE c.stream_id = s.stream_id AND c.revision > s.revision) AS closed_on,
             (SELECT c.type FROM closure c WHERE c.stream_id = s.stream_id AND c.revision > s.revision) AS closed_by
      FROM events s WHERE s.type = 'CriteriaToResideNotMet';

    CREATE TEMP VIEW nctr_period AS
      SELECT stream_id, revision, drd, COALESCE(met_again_on, closed_on) AS ended,
             CASE WHEN met_again_on IS NULL THEN closed_by END AS ended_by
      FROM period;

    CREATE TEMP VIEW became_primary AS
      SELECT stream_id, revision, ${LD(`json_extract(data, '$.openedAt')`)} AS on_date, json_extract(data, '$.delayId') AS delay_id
        FROM events WHERE type = 'DelayOpened' AND json_extract(data, '$.primary') = 1
      UNION ALL
      SELECT stream_id, revision, ${LD(`json_extract(data, '$.changedAt')`)}, json_extract(data, '$.primaryDelayId')
        FROM events WHERE type = 'PrimaryDelayChanged'
      UNION ALL
      SELECT stream_id, revision, ${LD(`json_extract(data, '$.closedAt')`)}, json_extract(data, '$.promotedDelayId')
        FROM events WHERE type = 'DelayClosed' AND json_extract(data, '$.promotedDelayId') IS NOT NULL;

    CREATE TEMP VIEW primary_change AS
      SELECT stream_id, revision, on_date, delay_id FROM became_primary
      UNION ALL
      SELECT e.stream_id, e.revision, ${LD(`json_extract(e.data, '$.closedAt')`)}, NULL
        FROM events e
       WHERE e.type = 'DelayClosed' AND json_extract(e.data, '$.promotedDelayId') IS NULL
         AND json_extract(e.data, '$.delayId') =
             (SELECT b.delay_id FROM became_primary b WHERE b.stream_id = e.stream_id AND b.revision < e.revision
               ORDER BY b.revision DESC LIMIT 1);
  `);
}

class Oracle {
  private readonly where: string;
  private readonly params: Record<string, string | null>;

  constructor(
    private readonly db: Database.Database,
    private readonly today: string,
    private readonly filters: KpiFilters,
  ) {
    this.where = `(:area IS NULL OR r.area = :area) AND (:hospital IS NULL OR r.hospital = :hospital) AND (:ageBand IS NULL OR r.age_band = :ageBand)`;
    this.params = { area: filters.area ?? null, hospital: filters.hospital ?? null, ageBand: filters.ageBand ?? null, today };
  }

  private all<T>(sql: string, extra: Record<string, unknown> = {}): T[] {
    return this.db.prepare(sql).all({ ...this.params, ...extra }) as T[];
  }

  private pathwayCounts(rows: Array<{ p: number; n: number }>): number[] {
    const counts = [0, 0, 0, 0];
    for (const row of rows) counts[row.p] += row.n;
    return counts;
  }

  discharges(first: string, last: string, bands?: readonly string[]) {
    const band = bands ? `AND r.age_band IN (${bands.map((b) => `'${b}'`).join(',')})` : '';
    const referred = this.pathwayCounts(
      this.all(
        `SELECT json_extract(e.data, '$.pathway') AS p, count(*) AS n
           FROM events e JOIN referral r ON r.stream_id = e.stream_id
          WHERE e.type = 'PatientDischarged' AND ${this.where} ${band}
            AND ${LD(`json_extract(e.data, '$.dischargedAt')`)} BETWEEN :first AND :last
          GROUP BY p`,
        { first, last },
      ),
    );
    const trusts = this.filters.hospital ? [this.filters.hospital] : TRUSTS;
    const latest = `(SELECT e.data FROM events e WHERE e.type = 'AcuteDischargesReported'
                       AND e.revision = (SELECT max(x.revision) FROM events x WHERE x.stream_id = e.stream_id))`;
    const days = (trust: string) =>
      (
        this.db
          .prepare(
            `SELECT count(DISTINCT json_extract(data, '$.date')) AS n FROM ${latest}
              WHERE json_extract(data, '$.trust') = ? AND json_extract(data, '$.date') BETWEEN ? AND ?`,
          )
          .get(trust, first, last) as { n: number }
      ).n;
    const windowDays = (
      this.db.prepare(`SELECT count(*) AS n FROM days WHERE d BETWEEN ? AND ?`).get(first, last) as { n: number }
    ).n;
    const covered = trusts.every((t) => days(t) === windowDays);
    const feed = this.pathwayCounts(
      this.all(
        `SELECT json_extract(row.value, '$.pathway') AS p, sum(json_extract(row.value, '$.count')) AS n
           FROM ${latest} AS report, json_each(report.data, '$.rows') AS row
          WHERE json_extract(report.data, '$.date') BETWEEN :first AND :last
            AND json_extract(report.data, '$.trust') IN (${trusts.map((t) => `'${t}'`).join(',')})
            AND (:area IS NULL OR json_extract(row.value, '$.area') = :area)
            AND (:ageBand IS NULL OR json_extract(row.value, '$.ageBand') = :ageBand)
            ${bands ? `AND json_extract(row.value, '$.ageBand') IN (${bands.map((b) => `'${b}'`).join(',')})` : ''}
          GROUP BY p`,
        { first, last },
      ),
    );
    return {
      main: { basis: covered ? 'acute-activity-feed' : 'referred-discharges', counts: covered ? feed : referred },
      referred,
    };
  }

  drdToDischarge(first: string, last: string) {
    const rows = this.all<{ p: number; delay: number }>(
      `SELECT json_extract(e.data, '$.pathway') AS p,
              COALESCE((SELECT CAST(julianday(${LD(`json_extract(e.data, '$.dischargedAt')`)}) - julianday(np.drd) AS INTEGER)
                          FROM nctr_period np WHERE np.stream_id = e.stream_id AND np.ended_by = 'PatientDischarged'), 0) AS delay
         FROM events e JOIN referral r ON r.stream_id = e.stream_id
        WHERE e.type = 'PatientDischarged' AND ${this.where}
          AND ${LD(`json_extract(e.data, '$.dischargedAt')`)} BETWEEN :first AND :last`,
      { first, last },
    );
    const summarise = (list: typeof rows) => ({ count: list.length, totalDays: list.reduce((s, r) => s + r.delay, 0) });
    const distribution = Object.fromEntries(
      BUCKETS.map(([label, min, max]) => [label, rows.filter((r) => r.delay >= min && r.delay <= max).length]),
    );
    return {
      all: { ...summarise(rows), distribution },
      byPathway: Object.fromEntries(['0', '1', '2', '3'].map((p) => [p, summarise(rows.filter((r) => String(r.p) === p))])),
    };
  }

  responsiveness(acceptMinutes: number, assignMinutes: number, first: string, last: string) {
    const [row] = this.all<Record<string, number>>(
      `WITH submitted AS (
         SELECT r.stream_id, r.submitted_at,
                (SELECT json_extract(a.data, '$.acceptedAt') FROM events a WHERE a.stream_id = r.stream_id AND a.type = 'ReferralAccepted') AS accepted_at,
                (SELECT json_extract(a.data, '$.assignedAt') FROM events a WHERE a.stream_id = r.stream_id AND a.type = 'PathwayAssigned'
                  ORDER BY a.revision LIMIT 1) AS assigned_at,
                EXISTS (SELECT 1 FROM events x WHERE x.stream_id = r.stream_id AND x.type = 'ReferralReturned') AS returned,
                EXISTS (SELECT 1 FROM closure c WHERE c.stream_id = r.stream_id) AS closed
           FROM referral r
          WHERE ${this.where} AND ${LD('r.submitted_at')} BETWEEN :first AND :last)
       SELECT
         sum(accepted_at IS NOT NULL) AS accepted,
         sum(accepted_at IS NOT NULL AND strftime('%s', accepted_at) - strftime('%s', submitted_at) <= :acceptSeconds) AS acceptedWithin,
         sum(accepted_at IS NULL AND NOT closed) AS awaiting,
         sum(returned) AS returned,
         sum(assigned_at IS NOT NULL) AS assigned,
         sum(assigned_at IS NOT NULL AND strftime('%s', assigned_at) - strftime('%s', submitted_at) <= :assignSeconds) AS assignedWithin,
         sum(assigned_at IS NULL AND NOT closed) AS unassigned
       FROM submitted`,
      { first, last, acceptSeconds: acceptMinutes * 60, assignSeconds: assignMinutes * 60 },
    );
    const n = (k: string) => row[k] ?? 0;
    return {
      accepted: [n('accepted'), n('acceptedWithin'), n('awaiting'), n('returned')],
      assigned: [n('assigned'), n('assignedWithin'), n('unassigned')],
    };
  }

  nctr() {
    const rows = this.all<{ pathway: number | null; reason: string | null; primary_known: number; days: number }>(
      `SELECT
         (SELECT json_extract(a.data, '$.pathway') FROM events a
           WHERE a.stream_id = np.stream_id AND a.type = 'PathwayAssigned' AND ${LD(`json_extract(a.data, '$.assignedAt')`)} <= :today
           ORDER BY a.revision DESC LIMIT 1) AS pathway,
         (SELECT json_extract(o.data, '$.reasonCode') FROM events o
           WHERE o.stream_id = np.stream_id AND o.type = 'DelayOpened'
             AND json_extract(o.data, '$.delayId') =
                 (SELECT pc.delay_id FROM primary_change pc WHERE pc.stream_id = np.stream_id AND pc.on_date <= :today
                   ORDER BY pc.revision DESC LIMIT 1)) AS reason,
         CAST(julianday(:today) - julianday(np.drd) AS INTEGER) AS days
       FROM nctr_period np JOIN referral r ON r.stream_id = np.stream_id
      WHERE ${this.where} AND np.drd <= :today AND (np.ended IS NULL OR np.ended > :today)`,
    );
    const byPathway: Record<string, number> = { '0': 0, '1': 0, '2': 0, '3': 0, unassigned: 0 };
    const byPrimaryReason: Record<string, number> = {};
    const byDaysWaiting = Object.fromEntries(BUCKETS.map(([label]) => [label, 0]));
    for (const row of rows) {
      byPathway[row.pathway === null ? 'unassigned' : String(row.pathway)] += 1;
      const reason = row.reason ?? 'none-recorded';
      byPrimaryReason[reason] = (byPrimaryReason[reason] ?? 0) + 1;
      byDaysWaiting[BUCKETS.find(([, min, max]) => row.days >= min && row.days <= max)![0]] += 1;
    }
    const trusts = this.filters.hospital ? [this.filters.hospital] : TRUSTS;
    const reports = this.all<{ n: number }>(
      `SELECT count(*) AS n FROM events e WHERE e.type = 'NctrListReported' AND json_extract(e.data, '$.snapshotDate') = :today
          AND json_extract(e.data, '$.trust') IN (${trusts.map((t) => `'${t}'`).join(',')})`,
    )[0].n;
    const feedCounts = this.pathwayCounts(
      this.all(
        `SELECT json_extract(row.value, '$.pathway') AS p, sum(json_extract(row.value, '$.count')) AS n
           FROM events e, json_each(e.data, '$.rows') AS row
          WHERE e.type = 'NctrListReported' AND json_extract(e.data, '$.snapshotDate') = :today
            AND e.revision = (SELECT max(x.revision) FROM events x WHERE x.stream_id = e.stream_id)
            AND json_extract(e.data, '$.trust') IN (${trusts.map((t) => `'${t}'`).join(',')})
            AND (:area IS NULL OR json_extract(row.value, '$.area') = :area)
            AND (:ageBand IS NULL OR json_extract(row.value, '$.ageBand') = :ageBand)
          GROUP BY p`,
      ),
    );
    return {
      total: rows.length,
      byPathway,
      byPrimaryReason,
      byDaysWaiting,
      feed: reports > 0 ? { total: feedCounts.reduce((a, b) => a + b, 0), byPathway: feedCounts } : null,
    };
  }

  /** Counts (period, day) pairs: the day is in the month to date, on or after the DRD and before the period ended. */
  bedDays() {
    const [row] = this.all<{ bedDays: number; people: number }>(
      `SELECT count(*) AS bedDays, count(DISTINCT np.stream_id) AS people
         FROM nctr_period np JOIN referral r ON r.stream_id = np.stream_id
         JOIN days ON days.d >= np.drd AND (np.ended IS NULL OR days.d < np.ended)
        WHERE ${this.where} AND days.d BETWEEN substr(:today, 1, 8) || '01' AND :today`,
    );
    return row;
  }

  ascof(from: string, to: string) {
    const rows = this.all<{ result: string | null; discharged_on: string }>(
      `SELECT (SELECT json_extract(f.data, '$.result') FROM events f WHERE f.stream_id = e.stream_id AND f.type = 'NinetyOneDayFollowUpRecorded') AS result,
              ${LD(`json_extract(e.data, '$.dischargedAt')`)} AS discharged_on
         FROM events e JOIN referral r ON r.stream_id = e.stream_id
        WHERE e.type = 'PatientDischarged' AND ${this.where}
          AND r.age_band IN ('65-74', '75-84', '85+')
          AND (json_extract(e.data, '$.pathway') = 1
               OR (json_extract(e.data, '$.pathway') = 2 AND json_extract(e.data, '$.bedCategory') IN ('rehab', 'reablement')
                   AND json_extract(e.data, '$.intentionToReturnHome') = 1))
          AND ${LD(`json_extract(e.data, '$.dischargedAt')`)} BETWEEN :from AND :to`,
      { from, to },
    );
    const recorded = rows.filter((r) => r.result !== null);
    const pending = rows.filter((r) => r.result === null);
    const dueOn = (date: string) => (this.db.prepare(`SELECT date(?, '+91 days') AS d`).get(date) as { d: string }).d;
    return {
      cohortSize: rows.length,
      atHome: recorded.filter((r) => r.result === 'at-home').length,
      followedUp: recorded.length,
      pending: pending.length,
      overdue: pending.filter((r) => dueOn(r.discharged_on) <= this.today).length,
      byResult: Object.fromEntries(
        ['at-home', 'in-hospital', 'in-care-home', 'died', 'not-contactable'].map((k) => [
          k,
          recorded.filter((r) => r.result === k).length,
        ]),
      ),
    };
  }
}
