import Database from 'better-sqlite3';
import { createHmac, createSecretKey, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { gcmOpen, gcmSeal, KEY_BYTES } from '../aes-gcm';
import {
  IdentityErased,
  MasterKeyMismatch,
  NhsNumberAlreadyLinked,
  PatientAlreadyTraced,
  SealedValueRejected,
  UnknownPatient,
} from '../errors';
import type { MasterKey } from '../master-key';
import { parseNhsNumber } from '../nhs-number';
import type { PatientVault } from '../patient-vault';
import { formatSealed, parseSealed, sealingAad, type SealedValue } from '../sealed-value';
import { IDENTITY_SCHEMA } from './schema';

export interface SqlitePatientVaultOptions {
  /** An open connection, e.g. the event store's: the vault keeps to its own `identity_*` tables. */
  database: Database.Database;
  masterKey: MasterKey;
  clock?: () => Date;
}

export interface OpenSqlitePatientVaultOptions extends Omit<SqlitePatientVaultOptions, 'database'> {
  filename: string;
}

interface KeyRow {
  patient_id: string;
  data_key_id: string;
  master_key_id: string;
  wrapped_key: Buffer;
}

interface SecretRow {
  name: string;
  master_key_id: string;
  wrapped_key: Buffer;
}

const LOOKUP_SECRET = 'nhs-number-lookup';
/** The AAD a data key is wrapped under: the row's patient and key id. */
export const wrapContext = (patientId: string, dataKeyId: string) => `toc-hub/identity/data-key/v1|${patientId}|${dataKeyId}`;
const secretContext = (name: string) => `toc-hub/identity/secret/v1|${name}`;

export class SqlitePatientVault implements PatientVault {
  private readonly db: Database.Database;
  private readonly clock: () => Date;
  private masterKey: MasterKey;
  private readonly lookupHmacKey: KeyObject;
  private readonly ownsDatabase: boolean;

  private readonly stmt: {
    key: Database.Statement<[string], KeyRow>;
    allKeys: Database.Statement<[], KeyRow>;
    insertKey: Database.Statement<[string, string, string, Buffer, string]>;
    rewrapKey: Database.Statement<[string, Buffer, string]>;
    deleteKey: Database.Statement<[string]>;
    byLookup: Database.Statement<[string], { patient_id: string }>;
    lookupOf: Database.Statement<[string], { lookup_key: string }>;
    insertLookup: Database.Statement<[string, string]>;
    deleteLookup: Database.Statement<[string]>;
    erasure: Database.Statement<[string], { erased_at: string }>;
    insertErasure: Database.Statement<[string, string]>;
    secret: Database.Statement<[string], SecretRow>;
    allSecrets: Database.Statement<[], SecretRow>;
    insertSecret: Database.Statement<[string, string, Buffer]>;
    rewrapSecret: Database.Statement<[string, Buffer, string]>;
  };

  /** Opens (or creates) a dedicated file in WAL mode with synchronous=FULL and secure_delete=ON. */
  static open(options: OpenSqlitePatientVaultOptions): SqlitePatientVault {
    if (options.filename !== ':memory:') mkdirSync(dirname(options.filename), { recursive: true });
    const database = new Database(options.filename);
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = FULL');
    database.pragma('busy_timeout = 5000');
    try {
      return new SqlitePatientVault({ ...options, database }, true);
    } catch (error) {
      database.close();
      throw error;
    }
  }

  constructor(options: SqlitePatientVaultOptions, ownsDatabase = false) {
    this.db = options.database;
    this.masterKey = options.masterKey;
    this.clock = options.clock ?? (() => new Date());
    this.ownsDatabase = ownsDatabase;
    // Per connection: a destroyed key's row must be zeroed in its page, not merely unlinked.
    this.db.pragma('secure_delete = ON');
    this.db.exec(IDENTITY_SCHEMA);
    this.stmt = {
      key: this.db.prepare('SELECT * FROM identity_keys WHERE patient_id = ?'),
      allKeys: this.db.prepare('SELECT * FROM identity_keys'),
      insertKey: this.db.prepare(
        'INSERT INTO identity_keys (patient_id, data_key_id, master_key_id, wrapped_key, created_at) VALUES (?, ?, ?, ?, ?)',
      ),
      rewrapKey: this.db.prepare('UPDATE identity_keys SET master_key_id = ?, wrapped_key = ? WHERE patient_id = ?'),
      deleteKey: this.db.prepare('DELETE FROM identity_keys WHERE patient_id = ?'),
      byLookup: this.db.prepare('SELECT patient_id FROM identity_nhs_number_index WHERE lookup_key = ?'),
      lookupOf: this.db.prepare('SELECT lookup_key FROM identity_nhs_number_index WHERE patient_id = ?'),
      insertLookup: this.db.prepare('INSERT INTO identity_nhs_number_index (lookup_key, patient_id) VALUES (?, ?)'),
      deleteLookup: this.db.prepare('DELETE FROM identity_nhs_number_index WHERE patient_id = ?'),
      erasure: this.db.prepare('SELECT erased_at FROM identity_erasures WHERE patient_id = ?'),
      insertErasure: this.db.prepare('INSERT INTO identity_erasures (patient_id, erased_at) VALUES (?, ?)'),
      secret: this.db.prepare('SELECT * FROM identity_secrets WHERE name = ?'),
      allSecrets: this.db.prepare('SELECT * FROM identity_secrets'),
      insertSecret: this.db.prepare(
        'INSERT INTO identity_secrets (name, master_key_id, wrapped_key) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING',
      ),
      rewrapSecret: this.db.prepare('UPDATE identity_secrets SET master_key_id = ?, wrapped_key = ? WHERE name = ?'),
    };
    this.lookupHmacKey = this.loadLookupHmacKey();
  }

  lookupKey(nhsNumber: string): string {
    return createHmac('sha256', this.lookupHmacKey).update(parseNhsNumber(nhsNumber), 'utf8').digest('hex');
  }

  async findPatient(nhsNumber: string): Promise<string | undefined> {
    return this.stmt.byLookup.get(this.lookupKey(nhsNumber))?.patient_id;
  }

  async patientIdFor(nhsNumber: string): Promise<string> {
    const lookupKey = this.lookupKey(nhsNumber);
    return this.db
      .transaction(() => {
        const existing = this.stmt.byLookup.get(lookupKey);
        if (existing) return existing.patient_id;
        const patientId = this.createPatient();
        this.stmt.insertLookup.run(lookupKey, patientId);
        return patientId;
      })
      .immediate();
  }

  async registerUntraced(): Promise<string> {
    return this.db.transaction(() => this.createPatient()).immediate();
  }

  async recordTracedNhsNumber(patientId: string, nhsNumber: string): Promise<void> {
    const lookupKey = this.lookupKey(nhsNumber);
    this.db
      .transaction(() => {
        this.requireKey(patientId);
        const holder = this.stmt.byLookup.get(lookupKey)?.patient_id;
        if (holder === patientId) return;
        if (holder) throw new NhsNumberAlreadyLinked(patientId, holder);
        if (this.stmt.lookupOf.get(patientId)) throw new PatientAlreadyTraced(patientId);
        this.stmt.insertLookup.run(lookupKey, patientId);
      })
      .immediate();
  }

  async encrypt(patientId: string, plaintext: object | string): Promise<SealedValue> {
    const row = this.requireKey(patientId);
    const dataKey = this.unwrapDataKey(row);
    try {
      const blob = gcmSeal(dataKey, Buffer.from(JSON.stringify(plaintext), 'utf8'), sealingAad(patientId, row.data_key_id));
      return formatSealed(row.data_key_id, blob);
    } finally {
      dataKey.fill(0);
    }
  }

  async decrypt<T = unknown>(patientId: string, sealed: string): Promise<T> {
    const row = this.requireKey(patientId);
    const parts = parseSealed(sealed);
    if (!parts) throw new SealedValueRejected(patientId, 'malformed');
    if (parts.dataKeyId !== row.data_key_id) throw new SealedValueRejected(patientId, 'not-sealed-for-this-patient');
    const dataKey = this.unwrapDataKey(row);
    try {
      const plaintext = gcmOpen(dataKey, parts.blob, sealingAad(patientId, parts.dataKeyId));
      if (!plaintext) throw new SealedValueRejected(patientId, 'authentication-failed');
      return JSON.parse(plaintext.toString('utf8')) as T;
    } finally {
      dataKey.fill(0);
    }
  }

  async erase(patientId: string): Promise<void> {
    // Re-asserted in case another user of a shared connection turned it off.
    this.db.pragma('secure_delete = ON');
    this.db
      .transaction(() => {
        if (this.stmt.erasure.get(patientId)) return;
        if (!this.stmt.key.get(patientId)) throw new UnknownPatient(patientId);
        this.stmt.deleteLookup.run(patientId);
        this.stmt.deleteKey.run(patientId);
        this.stmt.insertErasure.run(patientId, this.clock().toISOString());
      })
      .immediate();
    // Older WAL frames still hold the row as it was; copy the zeroed pages home and empty the WAL.
    this.checkpoint();
  }

  async isErased(patientId: string): Promise<boolean> {
    return this.stmt.erasure.get(patientId) !== undefined;
  }

  /**
   * Re-wraps every data key and the lookup secret under a new master key in one transaction, then
   * uses it. The NHS-number lookup keys do not change, so `patient-<HMAC>` stream names survive rotation.
   */
  async rewrapAll(newMasterKey: MasterKey): Promise<number> {
    const rewrapped = this.db
      .transaction(() => {
        const keys = this.stmt.allKeys.all();
        for (const row of keys) {
          const dataKey = this.unwrapDataKey(row);
          const context = wrapContext(row.patient_id, row.data_key_id);
          this.stmt.rewrapKey.run(newMasterKey.id, newMasterKey.wrap(dataKey, context), row.patient_id);
          dataKey.fill(0);
        }
        for (const row of this.stmt.allSecrets.all()) {
          const secret = this.unwrapSecret(row);
          this.stmt.rewrapSecret.run(newMasterKey.id, newMasterKey.wrap(secret, secretContext(row.name)), row.name);
          secret.fill(0);
        }
        return keys.length;
      })
      .immediate();
    this.masterKey = newMasterKey;
    this.checkpoint();
    return rewrapped;
  }

  async close(): Promise<void> {
    if (this.ownsDatabase && this.db.open) this.db.close();
  }

  private createPatient(): string {
    const patientId = randomUUID();
    const dataKeyId = randomBytes(8).toString('base64url');
    const dataKey = randomBytes(KEY_BYTES);
    const wrapped = this.masterKey.wrap(dataKey, wrapContext(patientId, dataKeyId));
    dataKey.fill(0);
    this.stmt.insertKey.run(patientId, dataKeyId, this.masterKey.id, wrapped, this.clock().toISOString());
    return patientId;
  }

  private requireKey(patientId: string): KeyRow {
    const row = this.stmt.key.get(patientId);
    if (row) return row;
    if (this.stmt.erasure.get(patientId)) throw new IdentityErased(patientId);
    throw new UnknownPatient(patientId);
  }

  private unwrapDataKey(row: KeyRow): Buffer {
    if (row.master_key_id !== this.masterKey.id) throw new MasterKeyMismatch(row.master_key_id, this.masterKey.id);
    const dataKey = this.masterKey.unwrap(row.wrapped_key, wrapContext(row.patient_id, row.data_key_id));
    // The right master key failing to unwrap means the row itself was altered.
    if (!dataKey) throw new SealedValueRejected(row.patient_id, 'authentication-failed');
    return dataKey;
  }

  private unwrapSecret(row: SecretRow): Buffer {
    if (row.master_key_id !== this.masterKey.id) throw new MasterKeyMismatch(row.master_key_id, this.masterKey.id);
    const secret = this.masterKey.unwrap(row.wrapped_key, secretContext(row.name));
    if (!secret) throw new Error(`The vault's ${row.name} secret failed authentication: the row was altered`);
    return secret;
  }

  /**
   * Random and stored wrapped, rather than derived from the master key, so rotating the master key
   * does not change any lookup key (and so any `patient-<HMAC>` stream name).
   */
  private loadLookupHmacKey(): KeyObject {
    const candidate = randomBytes(KEY_BYTES);
    this.stmt.insertSecret.run(LOOKUP_SECRET, this.masterKey.id, this.masterKey.wrap(candidate, secretContext(LOOKUP_SECRET)));
    candidate.fill(0);
    const secret = this.unwrapSecret(this.stmt.secret.get(LOOKUP_SECRET)!);
    const key = createSecretKey(secret);
    secret.fill(0);
    return key;
  }

  private checkpoint(): void {
    // A reader holding an old snapshot makes TRUNCATE report busy; the next checkpoint finishes the job.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }
}
