import type Database from 'better-sqlite3';
import { bedBoard } from '@app/bed-base';
import { homeCareView } from '@app/home-care';
import { defaultReferenceDataFile, loadReferenceData } from '@app/reference-data';
import { addLondonDays, startOfLondonDay } from '@app/time';
import { generateCapacityHistory, type CapacityHistorySummary } from '../../../../test/support/capacity-history';
import {
  BUCKETS,
  closeOracle,
  forEachEvent,
  openOracleDatabase,
  openOracleStore,
  type OracleStore,
} from '../../../../test/support/oracle';
import { capacityKpis, capacityKpisOn, type CapacityKpis } from '../projections/capacity-kpis';

/**
 * The naive oracle for the bed-base, D2A and parked-message KPIs: each recomputed with plain SQL over the
 * `events` table the real deciders and process managers wrote, as known at the end of a London day
 * (recorded_at ≤ the last millisecond of the day), and compared with the projections' figures at the same
 * instant. Shared knowledge: the KPI definitions and a London-date table built here from `londonDate()`.
 */
const referenceData = loadReferenceData(defaultReferenceDataFile());
const TODAYS = [
  '2026-03-20',
  '2026-03-25',
  '2026-03-28',
  '2026-03-29', // spring clock change
  '2026-03-30',
  '2026-03-31',
  '2026-04-01',
  '2026-04-03',
  '2026-04-21',
  '2026-10-24',
  '2026-10-25', // autumn clock change
  '2026-10-26',
  '2026-10-31',
  '2026-11-01',
  '2026-11-02',
  '2026-11-30',
];
const WINDOWS = ['today', 'last7Days', 'monthToDate', 'rolling28Days'] as const;
const endOf = (date: string) => new Date(startOfLondonDay(addLondonDays(date, 1)).getTime() - 1).toISOString();

describe('bed-base, D2A and parked-message KPIs against a naive SQL oracle', () => {
  let opened: OracleStore;
  let db: Database.Database;
  let summary: CapacityHistorySummary;
  const figures = new Map<string, CapacityKpis>();

  beforeAll(async () => {
    opened = openOracleStore('capacity-oracle-');
    const { store, clock } = opened;
    summary = await generateCapacityHistory({ store, referenceData, clock, seed: 20261025 });

    // Fold the three projections in global order, reading them at the end of each date as asOf would.
    const board = bedBoard.initial();
    const home = homeCareView.initial();
    const facts = capacityKpis.initial();
    const categories = [...new Set([...bedBoard.categories, ...homeCareView.categories, ...capacityKpis.categories])];
    const pending = [...TODAYS];
    const take = (upTo: string | null) => {
      while (pending.length > 0 && (upTo === null || endOf(pending[0]) < upTo)) {
        const today = pending.shift()!;
        const at = endOf(today);
        figures.set(today, JSON.parse(JSON.stringify(capacityKpisOn({ board, home, facts }, today, at, referenceData))));
      }
    };
    await forEachEvent(store, categories, (event) => {
      take(event.recordedAt);
      const category = event.streamId.slice(0, event.streamId.indexOf('-'));
      if (bedBoard.categories.includes(category)) bedBoard.evolve(board, event);
      if (homeCareView.categories.includes(category)) homeCareView.evolve(home, event);
      if (capacityKpis.categories.includes(category)) capacityKpis.evolve(facts, event);
    });
    take(null);

    db = openOracleDatabase(opened.file);
    createOracleTables(db);
  }, 120_000);

  afterAll(() => closeOracle(db, opened));

  it('generated a varied history through the real deciders and process managers', () => {
    const count = (type: string) => (db.prepare(`SELECT count(*) n FROM events WHERE type = ?`).get(type) as { n: number }).n;
    expect(summary.cases).toBeGreaterThan(100);
    for (const type of [
      'PatientAdmitted',
      'PatientLeftBed',
      'BedReservationExpired',
      'BedReservationReleased',
      'BedRequestClosed',
      'BedClosed',
      'BedReopened',
      'EscalationBedOpened',
      'EscalationBedStoodDown',
      'SiteClosedToAdmissions',
      'PackageStarted',
      'PackageEnded',
      'PackageOfferDeclined',
      'PackageOfferExpired',
      'PackageRequestCancelled',
      'HoursCommitted',
      'HoursReleased',
      'MessageParked',
      'ParkedMessageRetried',
      'ParkedMessageDismissed',
    ]) {
      expect({ type, n: count(type) > 0 }).toEqual({ type, n: true });
    }
    expect(
      (
        db
          .prepare(`SELECT count(*) n FROM events WHERE type = 'CapacityDeclared' AND json_extract(data, '$.returnNumber') > 1`)
          .get() as { n: number }
      ).n,
    ).toBeGreaterThan(10);
    expect(
      (
        db
          .prepare(`SELECT count(*) n FROM events WHERE type = 'HoursHeld' AND json_extract(data, '$.override') IS NOT NULL`)
          .get() as { n: number }
      ).n,
    ).toBeGreaterThan(0);
  });

  describe.each(TODAYS)('on %s', (today) => {
    const oracle = () => new Oracle(db, today, endOf(today));

    it('bed counts, occupancy and long stays match', () => {
      const kpis = figures.get(today)!.bedBase;
      const o = oracle();
      const beds = o.beds();
      expect(kpis.beds.total).toEqual(beds.total);
      for (const group of ['byTier', 'byArea', 'byCategory'] as const) expect(kpis.beds[group]).toEqual(beds[group]);
      const bySite = Object.fromEntries(
        Object.entries(kpis.beds.bySite).map(([id, { name: _n, locality: _l, closedToAdmissions: _c, ...counts }]) => [
          id,
          counts,
        ]),
      );
      expect(bySite).toEqual(beds.bySite);
      expect(kpis.longStays.stays.map((s) => [s.bedId, s.days]).sort()).toEqual(o.longStays().sort());
    });

    it('bed-based intermediate care starting within 2 days matches', () => {
      const kpis = figures.get(today)!.bedBase;
      const o = oracle();
      for (const window of WINDOWS) {
        const s = kpis.bedStart[window];
        expect({ window, ...pick(s, ['measured', 'withinLimit', 'waiting', 'closedWithoutAdmission']) }).toEqual({
          window,
          ...o.bedStart(s.window.firstDate, s.window.lastDate),
        });
      }
    });

    it('D2A capacity (by provider, by area, total) and workforce match', () => {
      const kpis = figures.get(today)!.d2a;
      const o = oracle();
      const expected = o.capacity();
      const cells = (
        days: Array<{ date: string; declaredHours: number; heldHours: number; committedHours: number; freeHours: number }>,
      ) => days.map((d) => [d.date, d.declaredHours, d.heldHours, d.committedHours, d.freeHours]);
      expect(Object.fromEntries(kpis.capacity.byProvider.map((p) => [p.providerId, cells(p.days)]))).toEqual(expected.byProvider);
      expect(Object.fromEntries(kpis.capacity.byArea.map((a) => [a.area, cells(a.days)]))).toEqual(expected.byArea);
      expect(cells(kpis.capacity.total)).toEqual(expected.total);
      const workforce = o.workforce();
      expect({
        rostered: kpis.workforce.system.careWorkersRostered,
        absent: kpis.workforce.system.careWorkersAbsent,
        atRisk: kpis.workforce.system.atRisk,
        providersAtRisk: [...kpis.workforce.providersAtRisk].sort(),
      }).toEqual(workforce);
      if (workforce.rostered > 0) {
        expect(Math.abs(kpis.workforce.system.percent! - (100 * workforce.absent) / workforce.rostered)).toBeLessThanOrEqual(
          0.05 + 1e-9,
        );
      }
    });

    it('people waiting, request-to-start days and outcomes match', () => {
      const kpis = figures.get(today)!.d2a;
      const o = oracle();
      expect(
        pick(kpis.waiting, ['total', 'awaitingPlacement', 'placedNotStarted', 'byArea', 'byDaysWaiting', 'longestDays']),
      ).toEqual(o.waiting());
      for (const window of WINDOWS) {
        const r = kpis.requestToStart[window];
        expect({ window, ...pick(r, ['count', 'totalDays', 'withinTarget', 'distribution']) }).toEqual({
          window,
          ...o.requestToStart(r.window.firstDate, r.window.lastDate),
        });
        const out = kpis.outcomes[window];
        expect({ window, ...pick(out, ['ended', 'byOutcome', 'cancelled', 'byCancellationReason']) }).toEqual({
          window,
          ...o.outcomes(out.window.firstDate, out.window.lastDate),
        });
      }
    });

    it('parked messages match', () => {
      const kpis = figures.get(today)!.parkedMessages;
      expect({
        ...pick(kpis, ['count', 'byProcessManager', 'resolved', 'dismissed']),
        ids: kpis.list.map((p) => p.parkedId).sort(),
      }).toEqual(oracle().parked());
    });
  });

  it('checks windows that hold something', () => {
    const last = figures.get('2026-04-03')!;
    expect(last.bedBase.bedStart.rolling28Days.measured).toBeGreaterThan(10);
    expect(last.d2a.requestToStart.rolling28Days.count).toBeGreaterThan(5);
    expect(figures.get('2026-04-21')!.bedBase.longStays.count).toBeGreaterThan(0);
    expect(figures.get('2026-11-30')!.d2a.outcomes.monthToDate.ended).toBeGreaterThan(0);
  });
});

const pick = <T extends object, K extends keyof T>(o: T, keys: readonly K[]) =>
  Object.fromEntries(keys.map((k) => [k, o[k]])) as Pick<T, K>;

const LD = (expr: string) => `(SELECT london_date FROM london_hour WHERE utc_hour = substr(${expr}, 1, 13))`;

/** Plain tables over `events`: one row per event of interest, its JSON fields pulled out. */
function createOracleTables(db: Database.Database) {
  db.exec(`
    CREATE TEMP TABLE site AS
      SELECT json_extract(data, '$.siteId') AS site_id, json_extract(data, '$.locality') AS locality
        FROM events WHERE type = 'SiteRegistered';
    CREATE TEMP TABLE bed AS
      SELECT json_extract(data, '$.bedId') AS bed_id, stream_id, json_extract(data, '$.siteId') AS site_id,
             json_extract(data, '$.tier') AS tier, json_extract(data, '$.category') AS category,
             json_extract(data, '$.escalation') AS escalation, recorded_at
        FROM events WHERE type = 'BedCommissioned';
    CREATE TEMP TABLE ledger AS
      SELECT stream_id, revision, type, recorded_at,
             json_extract(data, '$.providerId') AS provider, json_extract(data, '$.locality') AS locality,
             json_extract(data, '$.date') AS date, json_extract(data, '$.holdId') AS hold_id,
             json_extract(data, '$.hours') AS hours, json_extract(data, '$.hoursPerWeek') AS declared,
             json_extract(data, '$.staffing.careWorkersRostered') AS rostered,
             json_extract(data, '$.staffing.careWorkersAbsent') AS absent
        FROM events WHERE category = 'capacityLedger';
    CREATE INDEX ledger_by_date ON ledger (date);
    CREATE TEMP TABLE package AS
      SELECT e.stream_id, json_extract(e.data, '$.area') AS area, json_extract(e.data, '$.requestedAt') AS requested_at,
             e.recorded_at
        FROM events e WHERE e.type = 'PackageRequested';
    CREATE TEMP TABLE provider AS
      SELECT json_extract(data, '$.providerId') AS provider_id, json_extract(data, '$.localities') AS localities
        FROM events WHERE type = 'ProviderRegistered';
  `);
}

class Oracle {
  constructor(
    private readonly db: Database.Database,
    private readonly today: string,
    private readonly at: string,
  ) {}

  private all<T>(sql: string, extra: Record<string, unknown> = {}): T[] {
    return this.db.prepare(sql).all({ today: this.today, at: this.at, ...extra }) as T[];
  }

  /** The latest event of `types` on a stream, known at `at`. */
  private static latest(stream: string, types: string[]) {
    return `(SELECT x.type FROM events x WHERE x.stream_id = ${stream} AND x.recorded_at <= :at
               AND x.type IN (${types.map((t) => `'${t}'`).join(',')}) ORDER BY x.revision DESC LIMIT 1)`;
  }

  beds() {
    const L = Oracle.latest;
    const rows = this.all<{ site_id: string; tier: number; category: string; area: string; status: string }>(
      `WITH state AS (
         SELECT b.bed_id, b.site_id, b.tier, b.category, s.locality AS area, b.escalation,
                ${L('b.stream_id', ['PatientAdmitted', 'PatientLeftBed'])} AS occupancy,
                (SELECT r.type FROM events r WHERE r.stream_id = b.stream_id AND r.recorded_at <= :at AND r.type = 'BedReserved'
                    AND NOT EXISTS (SELECT 1 FROM events z WHERE z.stream_id = b.stream_id AND z.recorded_at <= :at
                                     AND z.type IN ('BedReservationReleased', 'BedReservationExpired', 'PatientAdmitted')
                                     AND json_extract(z.data, '$.reservationId') = json_extract(r.data, '$.reservationId'))
                  ORDER BY r.revision DESC LIMIT 1) AS held,
                ${L('b.stream_id', ['BedClosed', 'BedReopened'])} AS closure,
                ${L('b.stream_id', ['EscalationBedOpened', 'EscalationBedStoodDown'])} AS escalation_state,
                ${L(`'site-' || b.site_id`, ['SiteClosedToAdmissions', 'SiteReopenedToAdmissions'])} AS site_state,
                ${L('b.stream_id', ['BedDecommissioned'])} AS decommissioned
           FROM bed b JOIN site s ON s.site_id = b.site_id
          WHERE b.recorded_at <= :at)
       SELECT site_id, tier, category, area,
              CASE WHEN occupancy = 'PatientAdmitted' THEN 'occupied'
                   WHEN held IS NOT NULL THEN 'reserved'
                   WHEN closure = 'BedClosed' THEN 'closed'
                   WHEN escalation = 1 AND escalation_state IS NOT 'EscalationBedOpened' THEN 'stood-down'
                   WHEN site_state = 'SiteClosedToAdmissions' THEN 'site-closed'
                   ELSE 'open' END AS status
         FROM state WHERE decommissioned IS NULL`,
    );
    const counts = (list: typeof rows) => {
      const n = (s: string) => list.filter((r) => r.status === s).length;
      const open = list.length - n('closed') - n('stood-down');
      return {
        commissioned: list.length,
        open,
        closed: n('closed'),
        stoodDown: n('stood-down'),
        reserved: n('reserved'),
        occupied: n('occupied'),
        siteClosed: n('site-closed'),
        available: n('open'),
        occupancy: open === 0 ? null : Math.round((n('occupied') / open) * 1000) / 10,
      };
    };
    const by = (key: (r: (typeof rows)[number]) => string, keys?: string[]) =>
      Object.fromEntries(
        [...new Set([...(keys ?? []), ...rows.map(key)])].sort().map((k) => [k, counts(rows.filter((r) => key(r) === k))]),
      );
    const sites = this.all<{ site_id: string }>(
      `SELECT json_extract(data, '$.siteId') AS site_id FROM events WHERE type = 'SiteRegistered' AND recorded_at <= :at`,
    ).map((s) => s.site_id);
    return {
      total: counts(rows),
      byTier: by((r) => String(r.tier)),
      bySite: by((r) => r.site_id, sites),
      byArea: by((r) => r.area),
      byCategory: by((r) => r.category),
    };
  }

  longStays() {
    return this.all<{ bed_id: string; days: number }>(
      `SELECT b.bed_id, CAST(julianday(:today) - julianday(${LD(`json_extract(a.data, '$.admittedAt')`)}) AS INTEGER) AS days
         FROM bed b JOIN events a ON a.stream_id = b.stream_id AND a.type = 'PatientAdmitted' AND a.recorded_at <= :at
        WHERE NOT EXISTS (SELECT 1 FROM events l WHERE l.stream_id = b.stream_id AND l.type = 'PatientLeftBed'
                           AND l.recorded_at <= :at AND l.revision > a.revision)
          AND julianday(:today) - julianday(${LD(`json_extract(a.data, '$.admittedAt')`)}) >= 21`,
    ).map((r) => [r.bed_id, r.days]);
  }

  bedStart(first: string, last: string) {
    const [row] = this.all<Record<string, number | null>>(
      `WITH request AS (
         SELECT json_extract(o.data, '$.requestId') AS request_id, json_extract(o.data, '$.openedAt') AS opened_at,
                (SELECT json_extract(a.data, '$.admittedAt') FROM events a
                  WHERE a.type = 'PatientAdmitted' AND a.recorded_at <= :at
                    AND json_extract(a.data, '$.requestId') = json_extract(o.data, '$.requestId')
                  ORDER BY a.position LIMIT 1) AS admitted_at,
                EXISTS (SELECT 1 FROM events c WHERE c.stream_id = o.stream_id AND c.type = 'BedRequestClosed'
                         AND c.recorded_at <= :at) AS closed
           FROM events o
          WHERE o.type = 'BedRequestOpened' AND o.recorded_at <= :at
            AND ${LD(`json_extract(o.data, '$.openedAt')`)} BETWEEN :first AND :last)
       SELECT sum(admitted_at IS NOT NULL) AS measured,
              sum(admitted_at IS NOT NULL
                  AND julianday(${LD('admitted_at')}) - julianday(${LD('opened_at')}) <= 2) AS withinLimit,
              sum(admitted_at IS NULL AND NOT closed) AS waiting,
              sum(admitted_at IS NULL AND closed) AS closedWithoutAdmission
         FROM request`,
      { first, last },
    );
    return {
      measured: row.measured ?? 0,
      withinLimit: row.withinLimit ?? 0,
      waiting: row.waiting ?? 0,
      closedWithoutAdmission: row.closedWithoutAdmission ?? 0,
    };
  }

  /** Per ledger (provider, locality, date) in today … today+14: the return in force, and each hold's latest state. */
  capacity() {
    const rows = this.all<{
      provider: string;
      locality: string;
      date: string;
      declared: number;
      held: number;
      committed: number;
    }>(
      `WITH keys AS (
         SELECT DISTINCT stream_id, provider, locality, date FROM ledger
          WHERE date BETWEEN :today AND date(:today, '+14 days') AND recorded_at <= :at),
       hold AS (
         SELECT h.stream_id, h.hours,
                (SELECT x.type FROM ledger x WHERE x.stream_id = h.stream_id AND x.hold_id = h.hold_id AND x.recorded_at <= :at
                  AND x.type IN ('HoursHeld', 'HoursCommitted', 'HoursReleased') ORDER BY x.revision DESC LIMIT 1) AS state
           FROM ledger h WHERE h.type = 'HoursHeld' AND h.recorded_at <= :at
            AND h.date BETWEEN :today AND date(:today, '+14 days'))
       SELECT k.provider, k.locality, k.date,
              COALESCE((SELECT d.declared FROM ledger d WHERE d.stream_id = k.stream_id AND d.type = 'CapacityDeclared'
                         AND d.recorded_at <= :at ORDER BY d.revision DESC LIMIT 1), 0) AS declared,
              COALESCE((SELECT sum(hours) FROM hold WHERE hold.stream_id = k.stream_id AND state = 'HoursHeld'), 0) AS held,
              COALESCE((SELECT sum(hours) FROM hold WHERE hold.stream_id = k.stream_id AND state = 'HoursCommitted'), 0) AS committed
         FROM keys k`,
    );
    const providers = this.all<{ provider_id: string; localities: string }>(`SELECT * FROM provider`);
    const dates = Array.from({ length: 15 }, (_, i) => addLondonDays(this.today, i));
    const r2 = (x: number) => Math.round(x * 100) / 100;
    const sum = (list: typeof rows, date: string) => {
      const on = list.filter((r) => r.date === date);
      const declared = r2(on.reduce((s, r) => s + r.declared, 0));
      const held = r2(on.reduce((s, r) => s + r.held, 0));
      const committed = r2(on.reduce((s, r) => s + r.committed, 0));
      const free = r2(on.reduce((s, r) => s + r2(r.declared - r.held - r.committed), 0));
      return [date, declared, held, committed, free];
    };
    const served = (p: { provider_id: string; localities: string }) => JSON.parse(p.localities) as string[];
    const inGrid = rows.filter((r) => providers.some((p) => p.provider_id === r.provider && served(p).includes(r.locality)));
    const areas = [...new Set(providers.flatMap(served))].sort();
    return {
      byProvider: Object.fromEntries(
        providers.map((p) => [
          p.provider_id,
          dates.map((d) =>
            sum(
              inGrid.filter((r) => r.provider === p.provider_id),
              d,
            ),
          ),
        ]),
      ),
      byArea: Object.fromEntries(
        areas.map((a) => [
          a,
          dates.map((d) =>
            sum(
              inGrid.filter((r) => r.locality === a),
              d,
            ),
          ),
        ]),
      ),
      total: dates.map((d) => sum(inGrid, d)),
    };
  }

  workforce() {
    const rows = this.all<{ provider: string; rostered: number | null; absent: number | null }>(
      `SELECT k.provider,
              (SELECT d.rostered FROM ledger d WHERE d.stream_id = k.stream_id AND d.type = 'CapacityDeclared' AND d.recorded_at <= :at
                ORDER BY d.revision DESC LIMIT 1) AS rostered,
              (SELECT d.absent FROM ledger d WHERE d.stream_id = k.stream_id AND d.type = 'CapacityDeclared' AND d.recorded_at <= :at
                ORDER BY d.revision DESC LIMIT 1) AS absent
         FROM (SELECT DISTINCT stream_id, provider FROM ledger WHERE date = :today AND recorded_at <= :at) k`,
    );
    const pooled = (list: typeof rows) => {
      const rostered = list.reduce((s, r) => s + (r.rostered ?? 0), 0);
      const absent = list.reduce((s, r) => s + (r.absent ?? 0), 0);
      return { rostered, absent, atRisk: absent * 100 > rostered * 10 };
    };
    const providers = [...new Set(rows.map((r) => r.provider))].sort();
    return {
      ...pooled(rows),
      providersAtRisk: providers.filter((p) => pooled(rows.filter((r) => r.provider === p)).atRisk),
    };
  }

  private has(types: string[], stream = 'p.stream_id') {
    return `EXISTS (SELECT 1 FROM events x WHERE x.stream_id = ${stream} AND x.recorded_at <= :at
                     AND x.type IN (${types.map((t) => `'${t}'`).join(',')}))`;
  }

  waiting() {
    const rows = this.all<{ area: string; accepted: number; days: number }>(
      `SELECT p.area, ${this.has(['PackageAccepted'])} AS accepted,
              CAST(julianday(:today) - julianday(${LD('p.requested_at')}) AS INTEGER) AS days
         FROM package p
        WHERE p.recorded_at <= :at AND NOT ${this.has(['PackageStarted', 'PackageRequestCancelled'])}`,
    );
    const byArea: Record<string, number> = {};
    for (const r of rows) byArea[r.area] = (byArea[r.area] ?? 0) + 1;
    return {
      total: rows.length,
      awaitingPlacement: rows.filter((r) => !r.accepted).length,
      placedNotStarted: rows.filter((r) => r.accepted).length,
      byArea: Object.fromEntries(Object.entries(byArea).sort(([a], [b]) => (a < b ? -1 : 1))),
      byDaysWaiting: Object.fromEntries(
        BUCKETS.map(([label, min, max]) => [label, rows.filter((r) => r.days >= min && r.days <= max).length]),
      ),
      longestDays: rows.reduce((m, r) => Math.max(m, r.days), 0),
    };
  }

  requestToStart(first: string, last: string) {
    const days = this.all<{ days: number }>(
      `SELECT CAST(julianday(json_extract(s.data, '$.startedOn')) - julianday(${LD('p.requested_at')}) AS INTEGER) AS days
         FROM events s JOIN package p ON p.stream_id = s.stream_id
        WHERE s.type = 'PackageStarted' AND s.recorded_at <= :at
          AND json_extract(s.data, '$.startedOn') BETWEEN :first AND :last`,
      { first, last },
    ).map((r) => r.days);
    return {
      count: days.length,
      totalDays: days.reduce((a, b) => a + b, 0),
      withinTarget: days.filter((d) => d <= 2).length,
      distribution: Object.fromEntries(
        BUCKETS.map(([label, min, max]) => [label, days.filter((d) => d >= min && d <= max).length]),
      ),
    };
  }

  outcomes(first: string, last: string) {
    const grouped = (sql: string) =>
      Object.fromEntries(this.all<{ k: string; n: number }>(sql, { first, last }).map((r) => [r.k, r.n]));
    const byOutcome = grouped(
      `SELECT json_extract(data, '$.outcome') AS k, count(*) AS n FROM events
        WHERE type = 'PackageEnded' AND recorded_at <= :at AND json_extract(data, '$.endedOn') BETWEEN :first AND :last
        GROUP BY k ORDER BY k`,
    );
    const byCancellationReason = grouped(
      `SELECT json_extract(data, '$.reason') AS k, count(*) AS n FROM events
        WHERE type = 'PackageRequestCancelled' AND recorded_at <= :at
          AND ${LD(`json_extract(data, '$.cancelledAt')`)} BETWEEN :first AND :last
        GROUP BY k ORDER BY k`,
    );
    const total = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
    return { ended: total(byOutcome), byOutcome, cancelled: total(byCancellationReason), byCancellationReason };
  }

  parked() {
    const rows = this.all<{ parked_id: string; pm: string; state: string }>(
      `SELECT json_extract(m.data, '$.parkedId') AS parked_id, json_extract(m.data, '$.processManager') AS pm,
              (SELECT CASE x.type WHEN 'ParkedMessageDismissed' THEN 'dismissed'
                                  WHEN 'ParkedMessageRetried' THEN
                                    CASE json_extract(x.data, '$.outcome') WHEN 'resolved' THEN 'resolved' ELSE 'parked' END
                                  ELSE 'parked' END
                 FROM events x WHERE x.stream_id = m.stream_id AND x.recorded_at <= :at
                ORDER BY x.revision DESC LIMIT 1) AS state
         FROM events m WHERE m.type = 'MessageParked' AND m.recorded_at <= :at`,
    );
    const parked = rows.filter((r) => r.state === 'parked');
    const byProcessManager: Record<string, number> = {};
    for (const r of parked) byProcessManager[r.pm] = (byProcessManager[r.pm] ?? 0) + 1;
    return {
      count: parked.length,
      byProcessManager: Object.fromEntries(Object.entries(byProcessManager).sort(([a], [b]) => (a < b ? -1 : 1))),
      resolved: rows.filter((r) => r.state === 'resolved').length,
      dismissed: rows.filter((r) => r.state === 'dismissed').length,
      ids: parked.map((r) => r.parked_id).sort(),
    };
  }
}
