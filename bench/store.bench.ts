/**
 * Durable appends per second: our SQLite event store against raw better-sqlite3 (its ceiling) and against
 * Emmett's SQLite event store, all on the same disk and at the same `synchronous` setting.
 *
 *   npm run bench:store
 *   BENCH_SYNCHRONOUS=NORMAL BENCH_SECONDS=3 BENCH_DIR=/mnt/other npm run bench:store
 *
 * Figures are printed, never asserted.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import sqlite3 from 'sqlite3';
import {
  appendToStream as emmettAppendRaw,
  createEventStoreSchema,
  getSQLiteEventStore,
  sqliteConnection,
  type SQLiteConnection,
} from '@event-driven-io/emmett-sqlite';
import type { NewEvent } from '../libs/event-sourcing/src/envelope';
import type { ExpectedRevision } from '../libs/event-sourcing/src/event-store';
import { SCHEMA } from '../libs/event-sourcing/src/sqlite/schema';
import { SqliteEventStore, type SqliteSynchronous } from '../libs/event-sourcing/src/sqlite/sqlite-event-store';
import { benchFiles, fmt, loadAverage, machine, makeEvent, printTable } from './support';

// ---------------------------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------------------------

const SYNC_NAMES: SqliteSynchronous[] = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];
const SYNCHRONOUS = (process.env.BENCH_SYNCHRONOUS ?? 'FULL').toUpperCase() as SqliteSynchronous;
if (!SYNC_NAMES.includes(SYNCHRONOUS)) throw new Error(`BENCH_SYNCHRONOUS must be one of ${SYNC_NAMES.join(', ')}`);
const MEASURE_MS = Math.round(Number(process.env.BENCH_SECONDS ?? 4) * 1000);
const WARMUP_MS = 500;
/** Ours and its raw ceiling run in alternating rounds (A B B A A B B A), each with this shorter warm-up. */
const ROUNDS = 4;
const ROUND_WARMUP_MS = 300;
const CONCURRENCY = [64, 256];
/** How long to wait for writers still in flight after the deadline before calling them hung. */
const GRACE_MS = 2000;

const syncName = (value: unknown): string => SYNC_NAMES[Number(value)] ?? String(value);

// ---------------------------------------------------------------------------------------------------------------
// The workload: one realistic event per append (bench/support.ts)
// ---------------------------------------------------------------------------------------------------------------

const sample = makeEvent(0);
const DATA_BYTES = Buffer.byteLength(JSON.stringify(sample.data));
const METADATA_BYTES = Buffer.byteLength(JSON.stringify(sample.metadata));

// ---------------------------------------------------------------------------------------------------------------
// Driving writers
// ---------------------------------------------------------------------------------------------------------------

interface Writer {
  /** Appends one event to this writer's own stream at the right expected revision; resolves once durable. */
  append(): Promise<void>;
  /** After a failed append the writer's revision is unknown: start over on a fresh stream. */
  reset(): void;
}

interface PoolResult {
  appends: number;
  seconds: number;
  failures: Map<string, number>;
  hung: number;
  /** Taken when the warm-up ends and when the run ends, so callers can diff their own counters. */
  atStart?: unknown;
  atEnd?: unknown;
}

/**
 * `count` writers each loop "append, await, append" until the deadline. Appends that settle after the warm-up are
 * counted; the clock runs from the end of the warm-up to the last settlement (or the deadline, if later), so the
 * tail of the final group commit is included and writers that never settle do not stretch it.
 */
async function runPool(
  makeWriter: (n: number) => Writer,
  count: number,
  measureMs = MEASURE_MS,
  snapshot?: () => unknown,
  warmupMs = WARMUP_MS,
): Promise<PoolResult> {
  const writers = Array.from({ length: count }, (_, n) => makeWriter(n));
  const failures = new Map<string, number>();
  const warmEnd = performance.now() + warmupMs;
  const deadline = warmEnd + measureMs;
  let atStart: unknown;
  let snapped = false;
  let appends = 0;
  let lastSettled = 0;
  let finished = 0;

  /** Called as each append settles: true when it falls in the measured window. */
  const measured = (): boolean => {
    const now = performance.now();
    if (now < warmEnd) return false;
    if (!snapped) {
      snapped = true;
      atStart = snapshot?.();
    }
    lastSettled = now;
    return true;
  };

  const loops = writers.map(async (writer) => {
    while (performance.now() < deadline) {
      try {
        await writer.append();
        if (measured()) appends += 1;
      } catch (error) {
        if (measured()) {
          const key = error instanceof Error ? error.message : String(error);
          failures.set(key, (failures.get(key) ?? 0) + 1);
        }
        writer.reset();
      }
    }
    finished += 1;
  });

  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((done) => {
    timer = setTimeout(done, Math.max(0, deadline + GRACE_MS - performance.now()));
  });
  await Promise.race([Promise.all(loops), grace]);
  clearTimeout(timer);
  return {
    appends,
    seconds: (Math.max(lastSettled, deadline) - warmEnd) / 1000,
    failures,
    hung: count - finished,
    atStart,
    atEnd: snapshot?.(),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Our store
// ---------------------------------------------------------------------------------------------------------------

interface OursResult extends PoolResult {
  /** Process CPU time (user + system) over the measured window. */
  cpuMicros: number;
  commits: number;
  meanBatch: number;
  settings: string;
}

interface OursSnapshot {
  commits: number;
  appends: number;
  cpu: NodeJS.CpuUsage;
}
const cpuMicros = (from: NodeJS.CpuUsage, to: NodeJS.CpuUsage): number => to.user - from.user + (to.system - from.system);

async function benchOurs(
  file: string,
  writers: number,
  groupCommit: boolean,
  measureMs: number,
  warmupMs: number,
): Promise<OursResult> {
  const store = new SqliteEventStore({ filename: file, synchronous: SYNCHRONOUS, groupCommit });
  const s = store.connectionSettings();
  const settings = `journal=${s.journalMode} synchronous=${s.synchronous}`;
  let i = 0;
  const makeWriter = (): Writer => {
    let streamId = `dischargeCase-${randomUUID()}`;
    let expected: ExpectedRevision = 'no_stream';
    return {
      append: async () => {
        const result = await store.appendToStream(streamId, [makeEvent(i++)], { expectedRevision: expected });
        expected = result.nextExpectedRevision;
      },
      reset: () => {
        streamId = `dischargeCase-${randomUUID()}`;
        expected = 'no_stream';
      },
    };
  };
  const snapshot = (): OursSnapshot => ({ ...store.commitStats, cpu: process.cpuUsage() });
  const result = await runPool(makeWriter, writers, measureMs, snapshot, warmupMs);
  const end = result.atEnd as OursSnapshot;
  await store.close();
  const start = (result.atStart as OursSnapshot | undefined) ?? end;
  const commits = end.commits - start.commits;
  const appended = end.appends - start.appends;
  return {
    ...result,
    cpuMicros: cpuMicros(start.cpu, end.cpu),
    commits,
    meanBatch: commits > 0 ? appended / commits : 0,
    settings,
  };
}

function mergeOurs(a: OursResult, b: OursResult): OursResult {
  const failures = new Map(a.failures);
  for (const [k, v] of b.failures) failures.set(k, (failures.get(k) ?? 0) + v);
  const commits = a.commits + b.commits;
  return {
    appends: a.appends + b.appends,
    seconds: a.seconds + b.seconds,
    failures,
    hung: a.hung + b.hung,
    cpuMicros: a.cpuMicros + b.cpuMicros,
    commits,
    meanBatch: commits > 0 ? (a.meanBatch * a.commits + b.meanBatch * b.commits) / commits : 0,
    settings: a.settings === b.settings ? a.settings : `${a.settings} / ${b.settings}`,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Raw better-sqlite3: the same rows into the same table, with nothing but BEGIN IMMEDIATE / INSERT… / COMMIT
// ---------------------------------------------------------------------------------------------------------------

interface RawResult {
  appends: number;
  seconds: number;
  cpuMicros: number;
  settings: string;
}

function benchRaw(file: string, rows: number, batchSize: number, streams: number, warmupMs: number): RawResult {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${SYNCHRONOUS}`);
  db.pragma('secure_delete = ON');
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA);
  const settings = `journal=${String(db.pragma('journal_mode', { simple: true }))} synchronous=${syncName(db.pragma('synchronous', { simple: true }))}`;
  const insert = db.prepare(
    `INSERT INTO events (stream_id, revision, category, event_id, type, schema_version, data, metadata, occurred_at, recorded_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const streamIds = Array.from({ length: streams }, () => `dischargeCase-${randomUUID()}`);
  const revisions = new Array<number>(streams).fill(-1);
  let n = 0;
  const writeTransaction = (size: number): void => {
    const recordedAt = new Date().toISOString();
    db.exec('BEGIN IMMEDIATE');
    for (let k = 0; k < size; k++, n++) {
      const s = n % streams;
      const event = makeEvent(n);
      revisions[s] += 1;
      insert.run(
        streamIds[s],
        revisions[s],
        'dischargeCase',
        event.id,
        event.type,
        1,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata),
        event.occurredAt,
        recordedAt,
      );
    }
    db.exec('COMMIT');
  };

  const warmEnd = Date.now() + warmupMs;
  while (Date.now() < warmEnd) writeTransaction(batchSize);
  // Same row count as the run it is the ceiling for; bounded in time in case the disk stalls.
  const giveUp = Date.now() + 3 * MEASURE_MS;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  let written = 0;
  while (written < rows && Date.now() < giveUp) {
    const size = Math.min(batchSize, rows - written);
    writeTransaction(size);
    written += size;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuUsed = cpuMicros(cpu, process.cpuUsage());
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { appends: written, seconds, cpuMicros: cpuUsed, settings };
}

// ---------------------------------------------------------------------------------------------------------------
// Emmett (@event-driven-io/emmett-sqlite, node-sqlite3)
// ---------------------------------------------------------------------------------------------------------------

interface EmmettEvent {
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}
const toEmmett = (event: NewEvent): EmmettEvent => ({
  type: event.type,
  data: event.data as Record<string, unknown>,
  metadata: { ...event.metadata, occurredAt: event.occurredAt },
});

/**
 * Emmett's withTransaction console.logs every error it sees, and node-sqlite3 can raise errors with no callback
 * to receive them. Under its concurrent runs that would flood the output or kill the process, so we count them.
 */
async function quietly<T>(fn: () => Promise<T>): Promise<{ value: T; logged: number; uncaught: string[] }> {
  const log = console.log;
  let logged = 0;
  const uncaught: string[] = [];
  const onUncaught = (error: unknown): void => {
    uncaught.push(error instanceof Error ? error.message : String(error));
  };
  console.log = () => {
    logged += 1;
  };
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
  try {
    return { value: await fn(), logged, uncaught };
  } finally {
    console.log = log;
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
  }
}

interface EmmettResult extends PoolResult {
  settings: string;
  logged: number;
  uncaught: string[];
  /** Persistent-connection concurrent run only: acked appends and how many of them another connection could see. */
  visibility?: { acked: number; visible: number };
}

/**
 * Emmett's public API as shipped: getSQLiteEventStore, which opens and closes a connection around every call and
 * offers no synchronous option. With one writer we read the settings inside its transaction, on its own connection
 * (the onBeforeCommit hook). Under concurrency that extra await would perturb it; every call opens its connection
 * the same way, so the single-writer reading stands for those runs too.
 */
async function benchEmmettStore(
  file: string,
  writers: number,
  measureMs = MEASURE_MS,
  warmupMs = WARMUP_MS,
): Promise<EmmettResult> {
  let settings = 'not observed';
  let observed = false;
  const store = getSQLiteEventStore({
    fileName: file,
    hooks:
      writers === 1
        ? {
            onBeforeCommit: async (_messages, { connection }) => {
              if (observed) return;
              observed = true;
              const journal = await connection.querySingle<{ journal_mode: string }>('PRAGMA journal_mode');
              const sync = await connection.querySingle<{ synchronous: number }>('PRAGMA synchronous');
              settings = `journal=${journal?.journal_mode} synchronous=${syncName(sync?.synchronous)} (on its connection)`;
            },
          }
        : undefined,
  });
  let i = 0;
  const makeWriter = (): Writer => {
    let streamId = `dischargeCase-${randomUUID()}`;
    let expected = 0n;
    return {
      append: async () => {
        const result = await store.appendToStream(streamId, [toEmmett(makeEvent(i++))], { expectedStreamVersion: expected });
        expected = result.nextExpectedStreamVersion;
      },
      reset: () => {
        streamId = `dischargeCase-${randomUUID()}`;
        expected = 0n;
      },
    };
  };
  const { value, logged, uncaught } = await quietly(() => runPool(makeWriter, writers, measureMs, undefined, warmupMs));
  return { ...value, settings, logged, uncaught };
}

/**
 * Emmett's own appendToStream on one long-lived connection with `synchronous` set explicitly: what Emmett's SQL
 * costs without the per-call connection. Concurrent calls on one connection share its transaction-nesting counter,
 * so we also check whether acknowledged appends are visible (committed) to another connection mid-run.
 */
async function benchEmmettConnection(
  file: string,
  writers: number,
  measureMs = MEASURE_MS,
  warmupMs = WARMUP_MS,
): Promise<EmmettResult> {
  const run = async (): Promise<EmmettResult> => {
    const connection: SQLiteConnection = sqliteConnection({ fileName: file });
    await createEventStoreSchema(connection);
    await connection.command(`PRAGMA synchronous = ${SYNCHRONOUS}`);
    const journal = await connection.querySingle<{ journal_mode: string }>('PRAGMA journal_mode');
    const sync = await connection.querySingle<{ synchronous: number }>('PRAGMA synchronous');
    const settings = `journal=${journal?.journal_mode} synchronous=${syncName(sync?.synchronous)}`;
    let i = 0;
    let acked = 0;
    const makeWriter = (): Writer => {
      let streamId = `dischargeCase-${randomUUID()}`;
      let expected = 0n;
      return {
        append: async () => {
          const result = await emmettAppendRaw(connection, streamId, 'dischargeCase', [toEmmett(makeEvent(i++))], {
            expectedStreamVersion: expected,
          });
          if (!result.success) throw new Error('expected version mismatch');
          expected = result.nextStreamPosition;
          acked += 1;
        },
        reset: () => {
          streamId = `dischargeCase-${randomUUID()}`;
          expected = 0n;
        },
      };
    };
    // Another connection counts committed rows shortly before the deadline. It must be node-sqlite3 too: a second
    // copy of SQLite in the process (better-sqlite3's) does not share POSIX locks with it and can corrupt or SIGBUS.
    const reader = new sqlite3.Database(file, sqlite3.OPEN_READONLY);
    let visibility: { acked: number; visible: number } | undefined;
    const peek = setTimeout(
      () => {
        const ackedThen = acked;
        reader.get('SELECT count(*) AS n FROM emt_messages', (error: Error | null, row?: { n: number }) => {
          if (!error && row) visibility = { acked: ackedThen, visible: row.n };
        });
      },
      warmupMs + measureMs - 100,
    );
    const result = await runPool(makeWriter, writers, measureMs, undefined, warmupMs);
    clearTimeout(peek);
    await new Promise<void>((done) => reader.close(() => done()));
    connection.close();
    return { ...result, settings, logged: 0, uncaught: [], visibility };
  };
  const { value, logged, uncaught } = await quietly(run);
  return { ...value, logged, uncaught };
}

function mergeEmmett(a: EmmettResult | undefined, b: EmmettResult): EmmettResult {
  if (!a) return b;
  const failures = new Map(a.failures);
  for (const [k, v] of b.failures) failures.set(k, (failures.get(k) ?? 0) + v);
  return {
    appends: a.appends + b.appends,
    seconds: a.seconds + b.seconds,
    failures,
    hung: a.hung + b.hung,
    settings: a.settings === b.settings ? a.settings : `${a.settings} / ${b.settings}`,
    logged: a.logged + b.logged,
    uncaught: [...a.uncaught, ...b.uncaught],
  };
}

/**
 * getSQLiteEventStore under concurrency fails and leaves calls that never settle, holding node-sqlite3 work (and
 * libuv pool threads) that would slow every later measurement, and logging errors long after. So those runs go in
 * a child process of their own, killed if it outlives its budget.
 */
const CHILD_FLAG = '--emmett-store-child';
const RESULT_MARK = '@@bench-result@@';

interface ChildReport {
  appends: number;
  seconds: number;
  failures: Array<[string, number]>;
  hung: number;
  logged: number;
  uncaught: string[];
}

async function childMain(file: string, writers: number): Promise<void> {
  const write = process.stdout.write.bind(process.stdout);
  console.log = () => undefined; // late errors from calls that never settled would corrupt our report
  const r = await benchEmmettStore(file, writers);
  const report: ChildReport = {
    appends: r.appends,
    seconds: r.seconds,
    failures: [...r.failures.entries()],
    hung: r.hung,
    logged: r.logged,
    uncaught: r.uncaught,
  };
  write(`\n${RESULT_MARK}${JSON.stringify(report)}\n`, () => process.exit(0));
}

function benchEmmettStoreIsolated(file: string, writers: number): Promise<EmmettResult> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      ['-r', require.resolve('ts-node/register/transpile-only'), __filename, CHILD_FLAG, file, String(writers)],
      { stdio: ['ignore', 'pipe', 'pipe'], env: process.env },
    );
    let stdout = '';
    let stderr = '';
    let settled = false;
    const killer: NodeJS.Timeout = setTimeout(() => child.kill('SIGKILL'), WARMUP_MS + MEASURE_MS + GRACE_MS + 20_000);
    const finish = (result: EmmettResult | Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(killer);
      // node-sqlite3 makes the child wait seconds at exit for the calls that never settled: we have what we need.
      child.kill('SIGKILL');
      if (result instanceof Error) fail(result);
      else done(result);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((l, i, all) => l.startsWith(RESULT_MARK) && i < all.length - 1);
      if (!line) return;
      const r = JSON.parse(line.slice(RESULT_MARK.length)) as ChildReport;
      finish({ ...r, failures: new Map(r.failures), settings: '' });
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code, signal) => {
      const tail = stderr.trim().split('\n').slice(-3).join(' | ');
      finish(new Error(`child exited (code ${code}, signal ${signal}) without a result${tail ? `: ${tail}` : ''}`));
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------------------------

interface Row {
  measure: string;
  rate?: number;
  events?: number;
  ratio?: string;
  notes: string;
}

const x = (a: number, b: number): string => (b > 0 ? `${(a / b).toFixed(2)}` : 'n/a');

function failureNote(r: PoolResult & { logged?: number; uncaught?: string[] }): string {
  const parts: string[] = [];
  const total = [...r.failures.values()].reduce((a, b) => a + b, 0);
  if (total > 0) {
    const top = [...r.failures.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([m, c]) => `${c}× "${m.split('\n')[0].slice(0, 60)}"`);
    parts.push(`${fmt(total)} FAILED appends (${top.join('; ')})`);
  }
  if (r.hung > 0) parts.push(`${r.hung} writers still pending ${GRACE_MS / 1000}s after the deadline`);
  if (r.uncaught && r.uncaught.length > 0) parts.push(`${r.uncaught.length} uncaught errors`);
  return parts.join('; ');
}

function printRows(rows: Row[]): void {
  const header = ['measure', 'appends/s', 'events/s', 'ratio', 'notes'];
  const cells = rows.map((r) => [
    r.measure,
    r.rate === undefined ? 'n/a' : fmt(r.rate),
    r.events === undefined ? (r.rate === undefined ? 'n/a' : fmt(r.rate)) : fmt(r.events),
    r.ratio ?? '',
    r.notes,
  ]);
  printTable(header, cells, [0, 3]);
}

async function main(): Promise<void> {
  const { dir, fresh } = benchFiles('store-');

  const probe = new Database(':memory:');
  const bsqliteVersion = (probe.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  probe.close();
  console.log('Durable appends per second: one event per append, each append awaited before the writer sends its next');
  console.log(`machine: ${machine()}`);
  console.log(`sqlite: better-sqlite3 → SQLite ${bsqliteVersion}; node-sqlite3 (Emmett) → SQLite ${sqlite3.VERSION}`);
  console.log(
    `durability: journal_mode=WAL, synchronous=${SYNCHRONOUS}${process.env.BENCH_SYNCHRONOUS ? ' (BENCH_SYNCHRONOUS)' : ' (default)'}`,
  );
  console.log(`event: data ${DATA_BYTES} B JSON, metadata ${METADATA_BYTES} B JSON (correlationId, causationId, actor)`);
  console.log(`disk: ${dir} (fresh database file per measurement; removed afterwards)`);
  console.log(
    `timing: ${WARMUP_MS} ms warm-up then ~${MEASURE_MS / 1000} s per measurement (ours vs raw: ${ROUNDS} alternating rounds of ` +
      `${MEASURE_MS / ROUNDS / 1000} s each, ${ROUND_WARMUP_MS} ms warm-up); load average at start ${loadAverage()}\n`,
  );

  const rows: Row[] = [];
  const progress = (label: string): void => {
    process.stderr.write(`  running ${label}…\n`);
  };

  try {
    /**
     * Ours and its raw ceiling in alternating rounds, A B B A A B B A (fresh file each), so that bursts of outside
     * disk or CPU load do not land on one side only. Each raw round writes as many rows as the latest round of ours
     * did, in transactions of the batch size ours achieved.
     */
    const pair = async (writers: number, groupCommit: boolean): Promise<{ ours: OursResult; raw: RawResult; batch: number }> => {
      const slice = MEASURE_MS / ROUNDS;
      const tag = groupCommit ? `gc-${writers}` : 'seq';
      progress(`ours ${groupCommit ? `group commit, ${writers} writers` : 'unbatched, 1 writer'} ⇄ raw, ${ROUNDS} rounds each`);
      let ours: OursResult | undefined;
      const raw: RawResult = { appends: 0, seconds: 0, cpuMicros: 0, settings: '' };
      let lastCount = 0;
      let batch = 1;
      const runOurs = async (round: number): Promise<void> => {
        const o = await benchOurs(fresh(`ours-${tag}-${round}`), writers, groupCommit, slice, ROUND_WARMUP_MS);
        ours = ours ? mergeOurs(ours, o) : o;
        lastCount = o.appends;
        if (groupCommit) batch = Math.max(1, Math.round(ours.meanBatch));
      };
      const runRaw = (round: number): void => {
        const r = benchRaw(fresh(`raw-${tag}-${round}`), lastCount, batch, writers, ROUND_WARMUP_MS);
        raw.appends += r.appends;
        raw.seconds += r.seconds;
        raw.cpuMicros += r.cpuMicros;
        raw.settings = r.settings;
      };
      for (let round = 0; round < ROUNDS; round++) {
        if (round % 2 === 0) {
          await runOurs(round);
          runRaw(round);
        } else {
          runRaw(round);
          await runOurs(round);
        }
      }
      return { ours: ours as OursResult, raw, batch };
    };
    const rate = (r: { appends: number; seconds: number }): number => r.appends / r.seconds;
    const cpuNote = (r: { appends: number; cpuMicros: number }): string =>
      `CPU ${(r.cpuMicros / Math.max(r.appends, 1)).toFixed(1)} µs/append`;
    const failures = (r: OursResult): string => (failureNote(r) ? `; ${failureNote(r)}` : '');

    // 1 + 3a: unbatched, one writer, and its raw ceiling (one row per transaction).
    const seq = await pair(1, false);
    const seqRate = rate(seq.ours);
    rows.push({
      measure: '1  ours: groupCommit=false, 1 writer',
      rate: seqRate,
      ratio: `${x(seqRate, rate(seq.raw))} of raw`,
      notes: `${fmt(seq.ours.appends)} appends in ${seq.ours.seconds.toFixed(1)} s, ${fmt(seq.ours.commits)} commits; ${cpuNote(seq.ours)}; ${seq.ours.settings}${failures(seq.ours)}`,
    });
    rows.push({
      measure: '3a raw better-sqlite3: 1 row/txn',
      rate: rate(seq.raw),
      notes: `ceiling for 1: ${fmt(seq.raw.appends)} same-shaped rows, same table+indexes, BEGIN IMMEDIATE/INSERT/COMMIT; ${cpuNote(seq.raw)}; ${seq.raw.settings}`,
    });

    // 2 + 3b: group commit under concurrency, and raw transactions of the batch size it actually achieved.
    const ours: Record<number, OursResult> = {};
    for (const writers of CONCURRENCY) {
      const gc = await pair(writers, true);
      ours[writers] = gc.ours;
      rows.push({
        measure: `2  ours: group commit, ${writers} writers`,
        rate: rate(gc.ours),
        ratio: `${x(rate(gc.ours), rate(gc.raw))} of raw`,
        notes: `mean batch ${gc.ours.meanBatch.toFixed(1)} appends/commit over ${fmt(gc.ours.commits)} commits; ${cpuNote(gc.ours)}; ${gc.ours.settings}${failures(gc.ours)}`,
      });
      rows.push({
        measure: `3b raw better-sqlite3: ${gc.batch} rows/txn`,
        rate: rate(gc.raw),
        notes: `ceiling for 2 @${writers}: ${fmt(gc.raw.appends)} rows in txns of ${gc.batch} over ${writers} streams; ${cpuNote(gc.raw)}; ${gc.raw.settings}`,
      });
    }

    // 5: Emmett.
    const emmettRows = (label: string, ourRate: number, r: EmmettResult, extra: string): Row => {
      const rate = r.appends / r.seconds;
      const fail = failureNote(r);
      return {
        measure: label,
        rate,
        ratio: rate > 0 ? `ours ${x(ourRate, rate)}×` : 'n/a (0)',
        notes: [
          `${fmt(r.appends)} ok in ${r.seconds.toFixed(1)} s; ran with ${r.settings}`,
          r.settings.includes(`synchronous=${SYNCHRONOUS}`) ? '' : `NOT the requested synchronous=${SYNCHRONOUS}`,
          extra,
          fail,
        ]
          .filter(Boolean)
          .join('; '),
      };
    };
    /** Emmett with one writer, alternating with fresh rounds of ours (1) so both see the same background load. */
    const againstOurs = async (tag: string, run: (file: string, ms: number) => Promise<EmmettResult>) => {
      const slice = MEASURE_MS / ROUNDS;
      let emmett: EmmettResult | undefined;
      let ours: OursResult | undefined;
      const runOurs = async (round: number): Promise<void> => {
        const o = await benchOurs(fresh(`ours-vs-${tag}-${round}`), 1, false, slice, ROUND_WARMUP_MS);
        ours = ours ? mergeOurs(ours, o) : o;
      };
      const runEmmett = async (round: number): Promise<void> => {
        emmett = mergeEmmett(emmett, await run(fresh(`emmett-${tag}-${round}`), slice));
      };
      for (let round = 0; round < ROUNDS; round++) {
        if (round % 2 === 0) {
          await runEmmett(round);
          await runOurs(round);
        } else {
          await runOurs(round);
          await runEmmett(round);
        }
      }
      const o = ours as unknown as OursResult;
      return { emmett: emmett as EmmettResult, oursRate: rate(o), oursNote: `ours (1) alongside: ${fmt(rate(o))}/s` };
    };
    try {
      progress(`Emmett getSQLiteEventStore, 1 writer ⇄ ours (1), ${ROUNDS} rounds each`);
      const eSeq = await againstOurs('store-seq', (file, ms) => benchEmmettStore(file, 1, ms, ROUND_WARMUP_MS));
      rows.push(
        emmettRows(
          '5a emmett getSQLiteEventStore, 1 writer',
          eSeq.oursRate,
          eSeq.emmett,
          `opens+closes a connection per append; ${eSeq.oursNote}`,
        ),
      );

      progress(`Emmett appendToStream on one connection, 1 writer ⇄ ours (1), ${ROUNDS} rounds each`);
      const eConn = await againstOurs('conn-seq', (file, ms) => benchEmmettConnection(file, 1, ms, ROUND_WARMUP_MS));
      rows.push(
        emmettRows(
          '5c emmett appendToStream, 1 conn, 1 writer',
          eConn.oursRate,
          eConn.emmett,
          `its SQL on one long-lived connection, synchronous set by us; ${eConn.oursNote}`,
        ),
      );
      const writers = CONCURRENCY[0];
      progress(`Emmett appendToStream on one connection, ${writers} writers`);
      const eConnConc = await benchEmmettConnection(fresh('emmett-conn-conc'), writers);
      const v = eConnConc.visibility;
      const durable = v !== undefined && v.visible >= v.acked;
      const ackRate = eConnConc.appends / eConnConc.seconds;
      rows.push({
        measure: `5d emmett appendToStream, 1 conn, ${writers} writers`,
        rate: durable ? ackRate : undefined,
        ratio: durable ? `ours ${x(ours[writers].appends / ours[writers].seconds, ackRate)}×` : 'n/a',
        notes: durable
          ? `${fmt(eConnConc.appends)} ok; ${eConnConc.settings}`
          : `NOT DURABLE AT ACK: ${fmt(ackRate)} acks/s, but ${v ? `${fmt(v.visible)} of ${fmt(v.acked)}` : 'unknown'} acked ` +
            'appends were committed (visible to another connection) just before the deadline: concurrent calls share ' +
            "one connection's transaction-nesting counter, so the transaction never commits while writers overlap",
      });

      // Last, and each in its own process: see benchEmmettStoreIsolated.
      for (const writers of CONCURRENCY) {
        progress(`Emmett getSQLiteEventStore, ${writers} writers (child process)`);
        try {
          const eConc = await benchEmmettStoreIsolated(fresh(`emmett-${writers}`), writers);
          eConc.settings = `per-call connections opened as in 5a (${eSeq.emmett.settings.replace(' (on its connection)', '')})`;
          rows.push(
            emmettRows(
              `5b emmett getSQLiteEventStore, ${writers} writers`,
              ours[writers].appends / ours[writers].seconds,
              eConc,
              `vs 2 @${writers}`,
            ),
          );
        } catch (error) {
          rows.push({
            measure: `5b emmett getSQLiteEventStore, ${writers} writers`,
            notes: `COULD NOT RUN: ${error instanceof Error ? error.message : String(error)}`,
          });
        }
      }
    } catch (error) {
      const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      rows.push({ measure: '5  emmett', notes: `COULD NOT RUN: ${why}` });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  printRows(rows);
  console.log(
    '\nratio: for our rows, ours ÷ raw ceiling (1 ÷ 3a, 2 ÷ 3b); for Emmett rows, ours ÷ Emmett on the same workload ' +
      '(×: how many times faster ours is).',
  );
  console.log('events/s = appends/s: every append carries one event.');
}

(process.argv[2] === CHILD_FLAG ? childMain(process.argv[3], Number(process.argv[4])) : main())
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
