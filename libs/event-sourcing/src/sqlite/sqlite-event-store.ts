import Database from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CheckpointStore } from '../checkpoints';
import { categoryOf, type EventMetadata, type NewEvent, type RecordedEvent } from '../envelope';
import { IdempotencyKeyUsed, StreamNotFound, WrongExpectedRevision } from '../errors';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  ExpectedRevision,
  IdempotencyClaim,
  IdempotentAppend,
  ReadAllOptions,
  ReadStreamOptions,
  SubscribeToAllOptions,
  Subscription,
} from '../event-store';
import { noUpcasting, type Upcasters } from '../upcasting';
import { assertValidAppend } from '../validation';
import { SCHEMA } from './schema';
import { PollingSubscription } from './polling-subscription';

export type SqliteSynchronous = 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA';

export interface SqliteEventStoreOptions {
  /** A file path, or ':memory:' for throwaway stores. */
  filename: string;
  /** FULL (the default) syncs the WAL on every commit, so an acknowledged append survives power loss. */
  synchronous?: SqliteSynchronous;
  /** Let concurrent appends share one transaction and one sync. Default true. */
  groupCommit?: boolean;
  /** Most appends one group commit carries. Default 512. */
  maxBatchSize?: number;
  upcasters?: Upcasters;
  /** How often a live subscription looks for events written by another process. Default 200 ms. */
  pollIntervalMs?: number;
  /** The recordedAt clock. Deciders never see it. */
  clock?: () => Date;
}

interface EventRow {
  position: number;
  stream_id: string;
  revision: number;
  event_id: string;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
  occurred_at: string;
  recorded_at: string;
}

interface PendingAppend {
  streamId: string;
  events: readonly NewEvent[];
  expected: ExpectedRevision;
  idempotency: IdempotencyClaim | undefined;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

interface IdempotencyRow {
  key: string;
  fingerprint: string;
  stream_id: string;
  first_revision: number;
  next_expected_revision: number;
  position: number;
}

const COLUMNS = 'position, stream_id, revision, event_id, type, schema_version, data, metadata, occurred_at, recorded_at';

export class SqliteEventStore implements EventStore, CheckpointStore {
  readonly db: Database.Database;
  private readonly groupCommit: boolean;
  private readonly maxBatchSize: number;
  private readonly upcasters: Upcasters;
  private readonly pollIntervalMs: number;
  private readonly clock: () => Date;
  private readonly appended = new EventEmitter();
  private readonly subscriptions = new Set<PollingSubscription>();
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;
  private commits = 0;
  private committedAppends = 0;

  private readonly stmt: {
    streamRevision: Database.Statement<[string], { revision: number | null }>;
    insert: Database.Statement;
    atRevision: Database.Statement<[string, number], Pick<EventRow, 'event_id' | 'position'>>;
    byEventIdInStream: Database.Statement<[string, string], Pick<EventRow, 'revision'>>;
    readForwards: Database.Statement<[string, number, number], EventRow>;
    readBackwards: Database.Statement<[string, number, number], EventRow>;
    readAll: Database.Statement<[number, number], EventRow>;
    head: Database.Statement<[], { position: number | null }>;
    loadCheckpoint: Database.Statement<[string], { position: number }>;
    storeCheckpoint: Database.Statement;
    claimKey: Database.Statement;
    findKey: Database.Statement<[string], IdempotencyRow>;
  };
  private readonly readAllByCategoryCache = new Map<number, Database.Statement>();

  constructor(options: SqliteEventStoreOptions) {
    if (options.filename !== ':memory:') mkdirSync(dirname(options.filename), { recursive: true });
    this.db = new Database(options.filename);
    this.groupCommit = options.groupCommit ?? true;
    this.maxBatchSize = options.maxBatchSize ?? 512;
    this.upcasters = options.upcasters ?? noUpcasting;
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.clock = options.clock ?? (() => new Date());
    this.appended.setMaxListeners(0);

    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    // Erased personal data must not linger in freed pages.
    this.db.pragma('secure_delete = ON');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);

    this.stmt = {
      streamRevision: this.db.prepare('SELECT max(revision) AS revision FROM events WHERE stream_id = ?'),
      insert: this.db.prepare(
        `INSERT INTO events (stream_id, revision, category, event_id, type, schema_version, data, metadata, occurred_at, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      atRevision: this.db.prepare('SELECT event_id, position FROM events WHERE stream_id = ? AND revision = ?'),
      byEventIdInStream: this.db.prepare('SELECT revision FROM events WHERE event_id = ? AND stream_id = ?'),
      readForwards: this.db.prepare(
        `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC LIMIT ?`,
      ),
      readBackwards: this.db.prepare(
        `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
      ),
      readAll: this.db.prepare(`SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position ASC LIMIT ?`),
      head: this.db.prepare('SELECT max(position) AS position FROM events'),
      loadCheckpoint: this.db.prepare('SELECT position FROM checkpoints WHERE name = ?'),
      storeCheckpoint: this.db.prepare(
        `INSERT INTO checkpoints (name, position, stored_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET position = excluded.position, stored_at = excluded.stored_at`,
      ),
      claimKey: this.db.prepare(
        `INSERT INTO idempotency_keys (key, fingerprint, stream_id, first_revision, next_expected_revision, position, stored_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
      ),
      findKey: this.db.prepare('SELECT * FROM idempotency_keys WHERE key = ?'),
    };
  }

  /** The durability settings actually in force on this connection. */
  connectionSettings(): { journalMode: string; synchronous: SqliteSynchronous; secureDelete: boolean } {
    const names: SqliteSynchronous[] = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];
    return {
      journalMode: String(this.db.pragma('journal_mode', { simple: true })),
      synchronous: names[Number(this.db.pragma('synchronous', { simple: true }))],
      secureDelete: Number(this.db.pragma('secure_delete', { simple: true })) === 1,
    };
  }

  /** Committed transactions and the appends they carried: appends ÷ commits is the mean group-commit batch. */
  get commitStats(): { commits: number; appends: number } {
    return { commits: this.commits, appends: this.committedAppends };
  }

  appendToStream(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('The event store is closed'));
    try {
      assertValidAppend(streamId, events, options.expectedRevision);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      this.queue.push({
        streamId,
        events,
        expected: options.expectedRevision,
        idempotency: options.idempotency,
        resolve,
        reject,
      });
      if (!this.groupCommit) this.flush();
      else if (!this.flushScheduled) {
        this.flushScheduled = true;
        // Everything that arrives in this turn of the event loop shares the commit and its fsync.
        setImmediate(() => this.flush());
      }
    });
  }

  /** Writes every queued append in one transaction, a savepoint each, then settles them all after the commit. */
  private flush(): void {
    this.flushScheduled = false;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatchSize);
      const recordedAt = this.clock().toISOString();
      const outcomes: Array<{ ok: true; result: AppendResult } | { ok: false; error: unknown }> = [];
      try {
        this.db.exec('BEGIN IMMEDIATE');
        for (const append of batch) {
          this.db.exec('SAVEPOINT append');
          try {
            outcomes.push({ ok: true, result: this.writeOne(append, recordedAt) });
            this.db.exec('RELEASE append');
          } catch (error) {
            this.db.exec('ROLLBACK TO append');
            this.db.exec('RELEASE append');
            outcomes.push({ ok: false, error });
          }
        }
        this.db.exec('COMMIT');
        this.commits += 1;
        this.committedAppends += batch.length;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        for (const append of batch) append.reject(error);
        continue;
      }
      batch.forEach((append, i) => {
        const outcome = outcomes[i];
        if (outcome.ok) append.resolve(outcome.result);
        else append.reject(outcome.error);
      });
      this.appended.emit('appended');
    }
  }

  private writeOne({ streamId, events, expected, idempotency }: PendingAppend, recordedAt: string): AppendResult {
    const current = this.stmt.streamRevision.get(streamId)?.revision ?? -1;
    const matches =
      expected === 'any' ||
      (expected === 'no_stream' && current === -1) ||
      (expected === 'stream_exists' && current >= 0) ||
      expected === current;

    const retried = this.alreadyAppended(streamId, events, expected, current);
    if (retried) return retried;
    if (!matches) throw new WrongExpectedRevision(streamId, expected, current === -1 ? 'no_stream' : current);

    const category = categoryOf(streamId);
    let revision = current;
    let position = 0;
    for (const event of events) {
      revision += 1;
      const info = this.stmt.insert.run(
        streamId,
        revision,
        category,
        event.id,
        event.type,
        event.schemaVersion ?? 1,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata),
        event.occurredAt,
        recordedAt,
      );
      position = Number(info.lastInsertRowid);
    }
    if (idempotency) {
      const claimed = this.stmt.claimKey.run(
        idempotency.key,
        idempotency.fingerprint,
        streamId,
        current + 1,
        revision,
        position,
        recordedAt,
      );
      // The savepoint rolls the events back: the key's first use stands, and the caller is told of it.
      if (claimed.changes === 0) throw new IdempotencyKeyUsed(this.toIdempotentAppend(this.stmt.findKey.get(idempotency.key)!));
    }
    return { nextExpectedRevision: revision, position: BigInt(position) };
  }

  async findIdempotentAppend(key: string): Promise<IdempotentAppend | undefined> {
    const row = this.stmt.findKey.get(key);
    return row ? this.toIdempotentAppend(row) : undefined;
  }

  private toIdempotentAppend(row: IdempotencyRow): IdempotentAppend {
    return {
      key: row.key,
      fingerprint: row.fingerprint,
      streamId: row.stream_id,
      firstRevision: row.first_revision,
      result: { nextExpectedRevision: row.next_expected_revision, position: BigInt(row.position) },
    };
  }

  /**
   * EventStoreDB's idempotence: the same event ids re-sent at the same expected revision return the
   * first result. With `any` or `stream_exists` we look the first id up in the stream instead.
   */
  private alreadyAppended(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
    current: number,
  ): AppendResult | undefined {
    let first: number;
    if (typeof expected === 'number') first = expected + 1;
    else if (expected === 'no_stream') first = 0;
    else {
      const found = this.stmt.byEventIdInStream.get(events[0].id, streamId);
      if (!found) return undefined;
      first = found.revision;
    }
    if (first + events.length - 1 > current) return undefined;
    let position = 0;
    for (let i = 0; i < events.length; i++) {
      const row = this.stmt.atRevision.get(streamId, first + i);
      if (!row || row.event_id !== events[i].id) return undefined;
      position = row.position;
    }
    return { nextExpectedRevision: first + events.length - 1, position: BigInt(position) };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const rows =
      options.direction === 'backwards'
        ? this.stmt.readBackwards.all(streamId, options.fromRevision ?? Number.MAX_SAFE_INTEGER, maxCount)
        : this.stmt.readForwards.all(streamId, options.fromRevision ?? 0, maxCount);
    if (rows.length === 0 && this.stmt.streamRevision.get(streamId)?.revision == null) {
      throw new StreamNotFound(streamId);
    }
    return rows.map((row) => this.toRecorded(row));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.readAllSync(options);
  }

  readAllSync(options: ReadAllOptions = {}): RecordedEvent[] {
    const after = Number(options.after ?? 0n);
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const categories = options.categories;
    const rows =
      categories && categories.length > 0
        ? (this.readAllByCategory(categories.length).all(after, ...categories, maxCount) as EventRow[])
        : this.stmt.readAll.all(after, maxCount);
    return rows.map((row) => this.toRecorded(row));
  }

  private readAllByCategory(count: number): Database.Statement {
    let statement = this.readAllByCategoryCache.get(count);
    if (!statement) {
      const placeholders = Array.from({ length: count }, () => '?').join(', ');
      statement = this.db.prepare(
        `SELECT ${COLUMNS} FROM events WHERE position > ? AND category IN (${placeholders}) ORDER BY position ASC LIMIT ?`,
      );
      this.readAllByCategoryCache.set(count, statement);
    }
    return statement;
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): Subscription {
    const subscription = new PollingSubscription({
      after: options.after,
      readPage: (after) => this.readAllSync({ after, categories: options.categories, maxCount: 500 }),
      head: () => this.headSync(),
      appended: this.appended,
      pollIntervalMs: this.pollIntervalMs,
      onClose: () => this.subscriptions.delete(subscription),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<bigint | undefined> {
    return this.headSync();
  }

  private headSync(): bigint | undefined {
    const position = this.stmt.head.get()?.position;
    return position == null ? undefined : BigInt(position);
  }

  async load(name: string): Promise<bigint | undefined> {
    const row = this.stmt.loadCheckpoint.get(name);
    return row ? BigInt(row.position) : undefined;
  }

  async store(name: string, position: bigint): Promise<void> {
    this.stmt.storeCheckpoint.run(name, Number(position), this.clock().toISOString());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    // Fold the WAL back so nothing (erased data included) is left only in the -wal file.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }

  private toRecorded(row: EventRow): RecordedEvent {
    return this.upcasters.upcast({
      id: row.event_id,
      type: row.type,
      schemaVersion: row.schema_version,
      streamId: row.stream_id,
      revision: row.revision,
      position: BigInt(row.position),
      occurredAt: row.occurred_at,
      recordedAt: row.recorded_at,
      data: JSON.parse(row.data),
      metadata: JSON.parse(row.metadata) as EventMetadata,
    });
  }
}
