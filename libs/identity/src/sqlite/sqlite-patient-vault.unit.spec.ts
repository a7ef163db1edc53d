import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import {
  IdentityErased,
  MasterKeyMismatch,
  NhsNumberAlreadyLinked,
  PatientAlreadyTraced,
  SealedValueRejected,
  UnknownPatient,
} from '../errors';
import { MasterKey } from '../master-key';
import { InvalidNhsNumber } from '../nhs-number';
import { SqlitePatientVault } from './sqlite-patient-vault';

const NHS_NUMBER = '9434765919';
const OTHER_NHS_NUMBER = '4010232137';

/** Flips one bit in the decoded ciphertext of part `index` of a sealed value. */
function flipBit(sealed: string, index: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[index], 'base64url');
  bytes[bytes.length - 1] ^= 0x01;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

describe('SqlitePatientVault', () => {
  let db: Database.Database;
  let masterKey: MasterKey;
  let vault: SqlitePatientVault;

  beforeEach(() => {
    db = new Database(':memory:');
    masterKey = MasterKey.generate();
    vault = new SqlitePatientVault({ database: db, masterKey });
  });
  afterEach(() => db.close());

  describe('sealing', () => {
    it('given a patient, when an object is sealed and opened, then the same object comes back', async () => {
      const patientId = await vault.patientIdFor(NHS_NUMBER);
      const sealed = await vault.encrypt(patientId, { givenName: 'Ada', note: 'lives alone' });
      expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
      expect(sealed).not.toContain('Ada');
      await expect(vault.decrypt(patientId, sealed)).resolves.toEqual({ givenName: 'Ada', note: 'lives alone' });
    });

    it('given a string, when sealed and opened, then it stays a string', async () => {
      const patientId = await vault.registerUntraced();
      await expect(vault.decrypt(patientId, await vault.encrypt(patientId, 'free text'))).resolves.toBe('free text');
    });

    it('given the same value sealed twice, then the sealed values differ (a fresh IV each time)', async () => {
      const patientId = await vault.registerUntraced();
      expect(await vault.encrypt(patientId, 'same')).not.toEqual(await vault.encrypt(patientId, 'same'));
    });

    it.each([
      ['the IV', 2],
      ['the ciphertext or tag', 3],
    ])('given a sealed value with one bit of %s flipped, when opened, then it is rejected as tampered', async (_, index) => {
      const patientId = await vault.registerUntraced();
      const tampered = flipBit(await vault.encrypt(patientId, { givenName: 'Ada' }), index);
      await expect(vault.decrypt(patientId, tampered)).rejects.toThrow(SealedValueRejected);
      await expect(vault.decrypt(patientId, tampered)).rejects.toMatchObject({ reason: 'authentication-failed' });
    });

    it('given a truncated or garbled sealed value, when opened, then it is rejected as malformed', async () => {
      const patientId = await vault.registerUntraced();
      const sealed = await vault.encrypt(patientId, 'x');
      for (const bad of [sealed.slice(0, 20), `v2${sealed.slice(2)}`, 'not sealed', `${sealed}.extra`]) {
        await expect(vault.decrypt(patientId, bad)).rejects.toMatchObject({ name: 'SealedValueRejected', reason: 'malformed' });
      }
    });

    it('given a value sealed for patient A, when opened as patient B, then it is rejected', async () => {
      const patientA = await vault.patientIdFor(NHS_NUMBER);
      const patientB = await vault.patientIdFor(OTHER_NHS_NUMBER);
      const sealedForA = await vault.encrypt(patientA, { givenName: 'Ada' });
      await expect(vault.decrypt(patientB, sealedForA)).rejects.toMatchObject({
        name: 'SealedValueRejected',
        reason: 'not-sealed-for-this-patient',
      });
    });

    it("given patient B's key id written into A's sealed value, when opened as B, then the AAD binding rejects it", async () => {
      const patientA = await vault.registerUntraced();
      const patientB = await vault.registerUntraced();
      const sealedForA = await vault.encrypt(patientA, { givenName: 'Ada' });
      const keyIdOfB = (await vault.encrypt(patientB, 'x')).split('.')[1];
      const relabelled = sealedForA
        .split('.')
        .map((part, i) => (i === 1 ? keyIdOfB : part))
        .join('.');
      await expect(vault.decrypt(patientB, relabelled)).rejects.toMatchObject({ reason: 'authentication-failed' });
    });

    it("given A's wrapped key row copied onto B in the database, when A's value is opened as B, then it is rejected", async () => {
      const patientA = await vault.registerUntraced();
      const patientB = await vault.registerUntraced();
      const sealedForA = await vault.encrypt(patientA, { givenName: 'Ada' });
      db.prepare(
        `UPDATE identity_keys SET (data_key_id, wrapped_key) =
           (SELECT data_key_id, wrapped_key FROM identity_keys WHERE patient_id = ?) WHERE patient_id = ?`,
      ).run(patientA, patientB);
      await expect(vault.decrypt(patientB, sealedForA)).rejects.toMatchObject({ reason: 'authentication-failed' });
    });

    it('given a patientId the vault never issued, then encrypt and decrypt say so', async () => {
      await expect(vault.encrypt('no-such-patient', 'x')).rejects.toThrow(UnknownPatient);
      await expect(vault.decrypt('no-such-patient', 'v1.a.b.c')).rejects.toThrow(UnknownPatient);
    });
  });

  describe('NHS number lookup', () => {
    it('given the same NHS number, typed differently, then the lookup key and the patient are the same', async () => {
      expect(vault.lookupKey('943 476 5919')).toBe(vault.lookupKey(NHS_NUMBER));
      expect(vault.lookupKey(NHS_NUMBER)).toMatch(/^[0-9a-f]{64}$/);
      const first = await vault.patientIdFor(NHS_NUMBER);
      expect(await vault.patientIdFor('943-476-5919')).toBe(first);
      expect(await vault.findPatient(NHS_NUMBER)).toBe(first);
    });

    it('given different NHS numbers, then the lookup keys and patients differ', async () => {
      expect(vault.lookupKey(NHS_NUMBER)).not.toBe(vault.lookupKey(OTHER_NHS_NUMBER));
      expect(await vault.patientIdFor(NHS_NUMBER)).not.toBe(await vault.patientIdFor(OTHER_NHS_NUMBER));
    });

    it('given an NHS number, then the lookup key is keyed: not its plain SHA-256, and not shared by another vault', () => {
      const plainHash = createHash('sha256').update(NHS_NUMBER).digest('hex');
      expect(vault.lookupKey(NHS_NUMBER)).not.toBe(plainHash);
      const otherDb = new Database(':memory:');
      const otherVault = new SqlitePatientVault({ database: otherDb, masterKey: MasterKey.generate() });
      expect(otherVault.lookupKey(NHS_NUMBER)).not.toBe(vault.lookupKey(NHS_NUMBER));
      otherDb.close();
    });

    it('given a patient, then the patientId is a random UUID and carries nothing of the NHS number', async () => {
      const patientId = await vault.patientIdFor(NHS_NUMBER);
      expect(patientId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(patientId).not.toBe(vault.lookupKey(NHS_NUMBER).slice(0, 36));
    });

    it('given an unknown NHS number, then findPatient finds no one and registers no one', async () => {
      expect(await vault.findPatient(NHS_NUMBER)).toBeUndefined();
      expect(db.prepare('SELECT count(*) AS n FROM identity_keys').get()).toEqual({ n: 0 });
    });

    it('given an invalid NHS number, then lookups refuse it', async () => {
      expect(() => vault.lookupKey('9434765918')).toThrow(InvalidNhsNumber);
      await expect(vault.patientIdFor('123')).rejects.toThrow(InvalidNhsNumber);
    });

    it('given the database is reopened with the same master key, then the lookup key is unchanged', () => {
      const again = new SqlitePatientVault({ database: db, masterKey });
      expect(again.lookupKey(NHS_NUMBER)).toBe(vault.lookupKey(NHS_NUMBER));
    });

    it('given the database is reopened with a different master key, then the vault refuses to start', () => {
      expect(() => new SqlitePatientVault({ database: db, masterKey: MasterKey.generate() })).toThrow(MasterKeyMismatch);
    });
  });

  describe('untraced patients', () => {
    it('given an untraced patient, when traced, then the NHS number finds them and their data still opens', async () => {
      const patientId = await vault.registerUntraced();
      const sealed = await vault.encrypt(patientId, { givenName: 'Ada' });
      expect(await vault.findPatient(NHS_NUMBER)).toBeUndefined();

      await vault.recordTracedNhsNumber(patientId, '943 476 5919');

      expect(await vault.findPatient(NHS_NUMBER)).toBe(patientId);
      expect(await vault.patientIdFor(NHS_NUMBER)).toBe(patientId);
      await expect(vault.decrypt(patientId, sealed)).resolves.toEqual({ givenName: 'Ada' });
    });

    it('given the same trace recorded twice, then the second is a no-op', async () => {
      const patientId = await vault.registerUntraced();
      await vault.recordTracedNhsNumber(patientId, NHS_NUMBER);
      await expect(vault.recordTracedNhsNumber(patientId, NHS_NUMBER)).resolves.toBeUndefined();
    });

    it('given the NHS number already belongs to someone else, then linking it is refused', async () => {
      const existing = await vault.patientIdFor(NHS_NUMBER);
      const untraced = await vault.registerUntraced();
      await expect(vault.recordTracedNhsNumber(untraced, NHS_NUMBER)).rejects.toEqual(
        new NhsNumberAlreadyLinked(untraced, existing),
      );
    });

    it('given a patient already traced, then a different NHS number is refused', async () => {
      const patientId = await vault.patientIdFor(NHS_NUMBER);
      await expect(vault.recordTracedNhsNumber(patientId, OTHER_NHS_NUMBER)).rejects.toThrow(PatientAlreadyTraced);
    });
  });

  describe('erasure', () => {
    it('given an erased patient, when their data is opened, then IdentityErased is thrown, not a crypto error', async () => {
      const patientId = await vault.patientIdFor(NHS_NUMBER);
      const sealed = await vault.encrypt(patientId, { givenName: 'Ada' });

      await vault.erase(patientId);

      await expect(vault.decrypt(patientId, sealed)).rejects.toEqual(new IdentityErased(patientId));
      await expect(vault.encrypt(patientId, 'more')).rejects.toThrow(IdentityErased);
      expect(await vault.isErased(patientId)).toBe(true);
    });

    it('given an erased patient, then the key row and the NHS-number link are gone and a tombstone remains', async () => {
      const patientId = await vault.patientIdFor(NHS_NUMBER);
      await vault.erase(patientId);
      const count = (table: string) => db.prepare(`SELECT count(*) AS n FROM ${table} WHERE patient_id = ?`).get(patientId);
      expect(count('identity_keys')).toEqual({ n: 0 });
      expect(count('identity_nhs_number_index')).toEqual({ n: 0 });
      expect(count('identity_erasures')).toEqual({ n: 1 });
      expect(await vault.findPatient(NHS_NUMBER)).toBeUndefined();
    });

    it('given an erased patient, when the NHS number comes back, then it is a new patient with a new key', async () => {
      const erased = await vault.patientIdFor(NHS_NUMBER);
      await vault.erase(erased);
      expect(await vault.patientIdFor(NHS_NUMBER)).not.toBe(erased);
    });

    it('given an erased patient, then erasing again is a no-op and tracing them is refused', async () => {
      const patientId = await vault.registerUntraced();
      await vault.erase(patientId);
      await expect(vault.erase(patientId)).resolves.toBeUndefined();
      await expect(vault.recordTracedNhsNumber(patientId, NHS_NUMBER)).rejects.toThrow(IdentityErased);
    });

    it('given a patient who was never registered, then erasing them is an error, not a silent tombstone', async () => {
      await expect(vault.erase('no-such-patient')).rejects.toThrow(UnknownPatient);
      expect(await vault.isErased('no-such-patient')).toBe(false);
    });

    it('given one patient erased, then another patient is untouched', async () => {
      const erased = await vault.patientIdFor(NHS_NUMBER);
      const kept = await vault.patientIdFor(OTHER_NHS_NUMBER);
      const sealed = await vault.encrypt(kept, 'still here');
      await vault.erase(erased);
      await expect(vault.decrypt(kept, sealed)).resolves.toBe('still here');
      expect(await vault.isErased(kept)).toBe(false);
    });
  });

  describe('master key rotation', () => {
    it('given rewrapAll with a new master key, then old values open, lookups are unchanged, and the old key no longer opens the vault', async () => {
      const patientId = await vault.patientIdFor(NHS_NUMBER);
      const sealed = await vault.encrypt(patientId, { givenName: 'Ada' });
      const lookupBefore = vault.lookupKey(NHS_NUMBER);
      const newMasterKey = MasterKey.generate();

      expect(await vault.rewrapAll(newMasterKey)).toBe(1);

      await expect(vault.decrypt(patientId, sealed)).resolves.toEqual({ givenName: 'Ada' });
      expect(vault.lookupKey(NHS_NUMBER)).toBe(lookupBefore);
      const reopened = new SqlitePatientVault({ database: db, masterKey: newMasterKey });
      expect(reopened.lookupKey(NHS_NUMBER)).toBe(lookupBefore);
      await expect(reopened.decrypt(patientId, sealed)).resolves.toEqual({ givenName: 'Ada' });
      expect(() => new SqlitePatientVault({ database: db, masterKey })).toThrow(MasterKeyMismatch);
    });
  });

  it('given a wrapped key row altered in the database, then opening fails with a typed error', async () => {
    const patientId = await vault.registerUntraced();
    const sealed = await vault.encrypt(patientId, 'x');
    const { wrapped_key } = db.prepare('SELECT wrapped_key FROM identity_keys WHERE patient_id = ?').get(patientId) as {
      wrapped_key: Buffer;
    };
    wrapped_key[20] ^= 0x01;
    db.prepare('UPDATE identity_keys SET wrapped_key = ? WHERE patient_id = ?').run(wrapped_key, patientId);
    await expect(vault.decrypt(patientId, sealed)).rejects.toThrow(SealedValueRejected);
  });

  it('given a shared connection, then the vault keeps to identity_* tables and turns secure_delete on', () => {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['identity_erasures', 'identity_keys', 'identity_nhs_number_index', 'identity_secrets']);
    expect(db.pragma('secure_delete', { simple: true })).toBe(1);
  });
});
