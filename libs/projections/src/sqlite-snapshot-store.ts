import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Snapshot, SnapshotStore } from './projection';

/**
 * The hub's own snapshots, in a file of their own: the hub appends no domain events, and on
 * EventStoreDB deployments it still needs somewhere local to start from.
 */
export class SqliteSnapshotStore implements SnapshotStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly newest: Database.Statement<[string, number], Row>;
  private readonly newestBefore: Database.Statement<[string, number, string], Row>;
  private readonly pruneOld: Database.Statement;

  constructor(filename: string) {
    if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
    this.db = new Database(filename);
    this.db.pragma('journal_mode = WAL');
    // A lost snapshot only costs a longer replay, so NORMAL durability is enough here.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('secure_delete = ON');
    this.db.exec(`CREATE TABLE IF NOT EXISTS snapshots (
      projection TEXT NOT NULL, version INTEGER NOT NULL, position INTEGER NOT NULL,
      known_at TEXT NOT NULL, state TEXT NOT NULL, PRIMARY KEY (projection, version, position))`);
    this.insert = this.db.prepare(
      'INSERT OR REPLACE INTO snapshots (projection, version, position, known_at, state) VALUES (?, ?, ?, ?, ?)',
    );
    this.newest = this.db.prepare('SELECT * FROM snapshots WHERE projection = ? AND version = ? ORDER BY position DESC LIMIT 1');
    this.newestBefore = this.db.prepare(
      'SELECT * FROM snapshots WHERE projection = ? AND version = ? AND known_at <= ? ORDER BY position DESC LIMIT 1',
    );
    this.pruneOld = this.db.prepare(
      `DELETE FROM snapshots WHERE projection = ? AND version = ? AND position NOT IN
       (SELECT position FROM snapshots WHERE projection = ? AND version = ? ORDER BY position DESC LIMIT ?)`,
    );
  }

  async save(snapshot: Snapshot): Promise<void> {
    this.insert.run(
      snapshot.projection,
      snapshot.version,
      Number(snapshot.position),
      snapshot.knownAt,
      JSON.stringify(snapshot.state),
    );
  }

  async latest(projection: string, version: number, knownAt?: string): Promise<Snapshot | undefined> {
    const row =
      knownAt === undefined ? this.newest.get(projection, version) : this.newestBefore.get(projection, version, knownAt);
    return row
      ? {
          projection: row.projection,
          version: row.version,
          position: BigInt(row.position),
          knownAt: row.known_at,
          state: JSON.parse(row.state),
        }
      : undefined;
  }

  async prune(projection: string, version: number, keep: number): Promise<void> {
    this.pruneOld.run(projection, version, projection, version, keep);
  }

  close(): void {
    this.db.close();
  }
}

interface Row {
  projection: string;
  version: number;
  position: number;
  known_at: string;
  state: string;
}
