import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@app/event-sourcing/sqlite/sqlite-event-store';
import { IdentityErased } from '../errors';
import { MasterKey } from '../master-key';
import { openIdentity, sealIdentity, type PatientIdentity } from '../patient-identity';
import { SqlitePatientVault, wrapContext } from './sqlite-patient-vault';

/**
 * Crypto-shredding must leave nothing readable on disk: not the data key, not its wrapped form (the
 * master key would open it), and never the plaintext. The vault shares the event store's file here,
 * as the embedded deployment may.
 */
const NHS_NUMBER = '9434765919';
const person: PatientIdentity = {
  nhsNumber: NHS_NUMBER,
  givenName: 'Zephaniah',
  familyName: 'Quillfeather-Oduya',
  dateOfBirth: '1938-02-11',
  postcode: 'TA21 8QX',
};

interface Secrets {
  dataKey: Buffer;
  wrappedKey: Buffer;
}

const hub = { userId: 'hub-1', role: 'hub' as const, organisation: 'HUB' };

type Scan = Record<'sqlite' | 'wal' | 'shm', Record<string, boolean>>;

function scan(filename: string, needles: Record<string, Buffer>): Scan {
  const read = (path: string) => (existsSync(path) ? readFileSync(path) : Buffer.alloc(0));
  const found = (bytes: Buffer) =>
    Object.fromEntries(Object.entries(needles).map(([name, needle]) => [name, bytes.includes(needle)]));
  return { sqlite: found(read(filename)), wal: found(read(`${filename}-wal`)), shm: found(read(`${filename}-shm`)) };
}

const nothingFound = (needles: Record<string, Buffer>): Scan => {
  const none = Object.fromEntries(Object.keys(needles).map((name) => [name, false]));
  return { sqlite: none, wal: none, shm: none };
};

const anywhere = (result: Scan, needle: string) => result.sqlite[needle] || result.wal[needle] || result.shm[needle];

describe('erasure on disk', () => {
  let dir: string;
  let filename: string;
  let store: SqliteEventStore;
  let vault: SqlitePatientVault;
  const masterKey = MasterKey.generate();

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'toc-erasure-'));
    filename = join(dir, 'hub.sqlite');
    store = new SqliteEventStore({ filename, groupCommit: false });
    vault = new SqlitePatientVault({ database: store.db, masterKey });
  });
  afterEach(async () => {
    if (store.db.open) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Registers the person, appends their sealed identity as an event, and returns their key material. */
  async function admitPerson(): Promise<{ patientId: string; sealed: string; secrets: Secrets }> {
    const patientId = await vault.patientIdFor(NHS_NUMBER);
    const sealed = await sealIdentity(vault, patientId, person);
    await store.appendToStream(
      `dischargeCase-${randomUUID()}`,
      [
        {
          id: randomUUID(),
          type: 'ReferralSubmitted',
          data: { patientId, identity: sealed, ageBand: '85+' },
          metadata: { correlationId: randomUUID(), causationId: randomUUID(), actor: hub },
          occurredAt: '2026-06-01T09:00:00.000Z',
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    const row = store.db.prepare('SELECT data_key_id, wrapped_key FROM identity_keys WHERE patient_id = ?').get(patientId) as {
      data_key_id: string;
      wrapped_key: Buffer;
    };
    const dataKey = masterKey.unwrap(row.wrapped_key, wrapContext(patientId, row.data_key_id));
    if (!dataKey) throw new Error('test set-up: could not unwrap the data key');
    return { patientId, sealed, secrets: { dataKey, wrappedKey: row.wrapped_key } };
  }

  const needlesFor = (secrets: Secrets) => ({
    dataKey: secrets.dataKey,
    wrappedKey: secrets.wrappedKey,
    nhsNumber: Buffer.from(NHS_NUMBER),
    givenName: Buffer.from(person.givenName),
    familyName: Buffer.from(person.familyName),
  });

  it('given the store runs WAL, synchronous=FULL and secure_delete=ON, then that is what the vault writes through', () => {
    expect(store.connectionSettings()).toEqual({ journalMode: 'wal', synchronous: 'FULL', secureDelete: true });
  });

  it('given a person sealed into the store, when erased, then neither key, wrapped key nor plaintext is in the file, WAL or SHM', async () => {
    const { patientId, sealed, secrets } = await admitPerson();
    const needles = needlesFor(secrets);

    const before = scan(filename, needles);
    // The scan can see: before erasure the wrapped key is on disk (in the WAL, not yet checkpointed).
    expect(anywhere(before, 'wrappedKey')).toBe(true);
    // Personal data is only ever written sealed, and the data key only ever wrapped.
    for (const needle of ['dataKey', 'nhsNumber', 'givenName', 'familyName']) expect(anywhere(before, needle)).toBe(false);

    await vault.erase(patientId);

    // Straight after erasure, before close: a crash here must not leave the key behind either.
    const afterErase = scan(filename, needles);
    expect(afterErase).toEqual(nothingFound(needles));
    await expect(openIdentity(vault, patientId, sealed)).rejects.toThrow(IdentityErased);

    await store.close();
    expect(scan(filename, needles)).toEqual(nothingFound(needles));

    // The event is still there, sealed; the vault remembers the erasure.
    const reopened = new Database(filename, { readonly: true });
    expect(reopened.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 1 });
    expect(reopened.prepare('SELECT count(*) AS n FROM identity_erasures WHERE patient_id = ?').get(patientId)).toEqual({
      n: 1,
    });
    reopened.close();
  });

  it('given secure_delete OFF (the control), when the same key row is deleted and checkpointed, then its bytes ARE still in the file', async () => {
    const { patientId, secrets } = await admitPerson();
    // What the vault's erase does, minus secure_delete, which the vault itself always turns back on.
    store.db.pragma('secure_delete = OFF');
    store.db.prepare('DELETE FROM identity_keys WHERE patient_id = ?').run(patientId);
    store.db.pragma('wal_checkpoint(TRUNCATE)');

    const afterDelete = scan(filename, needlesFor(secrets));
    expect(afterDelete.sqlite.wrappedKey).toBe(true);

    await store.close();
    expect(scan(filename, needlesFor(secrets)).sqlite.wrappedKey).toBe(true);
  });
});
