import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Actor } from '@app/event-sourcing';

/** One read of one person's record (DESIGN §4): who, which person (pseudonym), what, when, which request. */
export interface AccessAuditEntry {
  /** Insertion order, gap-free within a file. */
  seq: number;
  /** When the read was answered (ISO 8601, UTC). */
  at: string;
  userId: string;
  role: string;
  organisation: string;
  /** The pseudonymous patient id, never an NHS number or a name. */
  patientId: string;
  /** The record read: `discharge-case`, `discharge-case-list`, `community-referral`. */
  resource: string;
  resourceId: string;
  /** What of it was read, e.g. `identity+history`, `identity (list row)`. */
  what: string;
  requestId: string;
}

export type AccessRead = Omit<AccessAuditEntry, 'seq' | 'at' | 'userId' | 'role' | 'organisation'>;

export interface AccessAuditQuery {
  patientId?: string;
  userId?: string;
  /** Inclusive, ISO 8601. */
  from?: string;
  /** Exclusive, ISO 8601. */
  to?: string;
  limit?: number;
}

/**
 * The access-audit store: a SQLite file of its own (`DATA_DIR/audit.sqlite`), insert-only. Triggers refuse
 * every UPDATE and DELETE, so even code holding the connection cannot rewrite the past; only someone with the
 * file can, which is what file permissions and backups are for. Each request's reads are one transaction.
 */
export class AccessAuditStore {
  private readonly insert: Database.Statement;
  private readonly insertMany: (rows: readonly AccessAuditEntry[]) => void;

  private constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date,
  ) {
    this.insert = db.prepare(
      `INSERT INTO access_audit (at, user_id, role, organisation, patient_id, resource, resource_id, what, request_id)
       VALUES (@at, @userId, @role, @organisation, @patientId, @resource, @resourceId, @what, @requestId)`,
    );
    this.insertMany = db.transaction((rows: readonly AccessAuditEntry[]) => {
      for (const row of rows) this.insert.run(row);
    });
  }

  static open(
    filename: string,
    { synchronous = 'FULL', now = () => new Date() }: { synchronous?: string; now?: () => Date } = {},
  ) {
    if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
    const db = new Database(filename);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous === 'NORMAL' || synchronous === 'EXTRA' ? synchronous : 'FULL'}`);
    db.exec(`
      CREATE TABLE IF NOT EXISTS access_audit (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        user_id TEXT NOT NULL,
        role TEXT NOT NULL,
        organisation TEXT NOT NULL,
        patient_id TEXT NOT NULL,
        resource TEXT NOT NULL,
        resource_id TEXT NOT NULL,
        what TEXT NOT NULL,
        request_id TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS access_audit_by_patient ON access_audit (patient_id, seq);
      CREATE INDEX IF NOT EXISTS access_audit_by_user ON access_audit (user_id, seq);
      CREATE INDEX IF NOT EXISTS access_audit_by_time ON access_audit (at);
      CREATE TRIGGER IF NOT EXISTS access_audit_no_update BEFORE UPDATE ON access_audit
        BEGIN SELECT RAISE(ABORT, 'the access audit is append-only'); END;
      CREATE TRIGGER IF NOT EXISTS access_audit_no_delete BEFORE DELETE ON access_audit
        BEGIN SELECT RAISE(ABORT, 'the access audit is append-only'); END;
    `);
    return new AccessAuditStore(db, now);
  }

  /** Records the reads one request made, in one transaction; throws if it cannot (the read then fails too). */
  record(actor: Actor, reads: readonly AccessRead[]): void {
    if (reads.length === 0) return;
    const at = this.now().toISOString();
    this.insertMany(
      reads.map((read) => ({
        seq: 0,
        at,
        userId: actor.userId,
        role: actor.role,
        organisation: actor.organisation,
        ...read,
      })),
    );
  }

  /** Newest first. */
  query({ patientId, userId, from, to, limit = 1000 }: AccessAuditQuery = {}): AccessAuditEntry[] {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit };
    const filters: Array<[string, string | undefined, string]> = [
      ['patientId', patientId, 'patient_id = @patientId'],
      ['userId', userId, 'user_id = @userId'],
      ['from', from, 'at >= @from'],
      ['to', to, 'at < @to'],
    ];
    for (const [name, value, clause] of filters) {
      if (!value) continue;
      where.push(clause);
      params[name] = value;
    }
    return this.db
      .prepare(
        `SELECT seq, at, user_id AS userId, role, organisation, patient_id AS patientId, resource, resource_id AS resourceId,
                what, request_id AS requestId
         FROM access_audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT @limit`,
      )
      .all(params) as AccessAuditEntry[];
  }

  /** For tests of the append-only rule: the raw connection. */
  get database(): Database.Database {
    return this.db;
  }

  close() {
    if (this.db.open) this.db.close();
  }
}

const CSV_COLUMNS: ReadonlyArray<keyof AccessAuditEntry> = [
  'seq',
  'at',
  'userId',
  'role',
  'organisation',
  'patientId',
  'resource',
  'resourceId',
  'what',
  'requestId',
];

/** RFC 4180, and a leading = + - @ is quoted away so a spreadsheet never runs a cell as a formula. */
const csvCell = (value: unknown) => {
  let text = String(value ?? '');
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export const accessAuditCsv = (entries: readonly AccessAuditEntry[]) =>
  [CSV_COLUMNS.join(','), ...entries.map((e) => CSV_COLUMNS.map((c) => csvCell(e[c])).join(','))].join('\r\n') + '\r\n';
