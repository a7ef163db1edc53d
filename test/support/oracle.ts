import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedEvent } from '@app/event-sourcing';
import { SqliteEventStore } from '@app/event-sourcing/sqlite/sqlite-event-store';
import { londonDate } from '@app/time';
import { SimulatedClock } from './simulation';

/**
 * What the naive SQL oracles (libs/hub/src/kpis/*.oracle.int.spec.ts) share: a SQLite store on a temp file whose
 * recordedAt follows a simulated clock, the same file opened for plain SQL with a London-date table, and the
 * days-waiting buckets as the KPI definitions state them.
 */
export interface OracleStore {
  dir: string;
  file: string;
  clock: SimulatedClock;
  store: SqliteEventStore;
}

export function openOracleStore(prefix: string): OracleStore {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = join(dir, 'events.sqlite');
  const clock = new SimulatedClock();
  const store = new SqliteEventStore({ filename: file, synchronous: 'OFF', clock: clock.now });
  return { dir, file, clock, store };
}

/** Every event of the categories, in global order. */
export async function forEachEvent(
  store: SqliteEventStore,
  categories: readonly string[],
  visit: (event: RecordedEvent) => void,
) {
  let after: bigint | undefined;
  for (;;) {
    const page = await store.readAll({ after, categories, maxCount: 5000 });
    if (page.length === 0) return;
    for (const event of page) visit(event);
    after = page[page.length - 1].position;
  }
}

/**
 * The store's file opened for the oracle's SQL, with `london_hour`: one row per UTC hour of 2026 to May 2027 and
 * its London date from `londonDate()` (London offsets are whole hours).
 */
export function openOracleDatabase(file: string): Database.Database {
  const db = new Database(file);
  db.exec('CREATE TEMP TABLE london_hour (utc_hour TEXT PRIMARY KEY, london_date TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO london_hour VALUES (?, ?)');
  db.transaction(() => {
    for (let t = Date.parse('2026-01-01T00:00:00Z'); t < Date.parse('2027-06-01T00:00:00Z'); t += 3_600_000) {
      insert.run(new Date(t).toISOString().slice(0, 13), londonDate(new Date(t)));
    }
  })();
  return db;
}

export async function closeOracle(db: Database.Database | undefined, opened: OracleStore | undefined) {
  db?.close();
  await opened?.store.close();
  if (opened) rmSync(opened.dir, { recursive: true, force: true });
}

/** Days-waiting buckets: [label, first day, last day]. */
export const BUCKETS: Array<[string, number, number]> = [
  ['0', 0, 0],
  ['1', 1, 1],
  ['2-3', 2, 3],
  ['4-6', 4, 6],
  ['7-13', 7, 13],
  ['14-20', 14, 20],
  ['21+', 21, 100000],
];
