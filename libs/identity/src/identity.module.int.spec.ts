import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateEnvironment } from '@app/platform/config/environment';
import { MasterKeyUnavailable } from './errors';
import { IdentityModule } from './identity.module';
import { MASTER_KEY_FILE, MasterKey, resolveMasterKey } from './master-key';
import { PATIENT_VAULT, type PatientVault } from './patient-vault';

describe('IdentityModule and the master key', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'toc-identity-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('given no MASTER_KEY in development, then a key is generated once into DATA_DIR/master.key with mode 0600 and reused', () => {
    const first = resolveMasterKey({ DATA_DIR: dir, NODE_ENV: 'development' });
    const path = join(dir, MASTER_KEY_FILE);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(resolveMasterKey({ DATA_DIR: dir, NODE_ENV: 'development' }).id).toBe(first.id);
    expect(MasterKey.fromBase64(readFileSync(path, 'utf8')).id).toBe(first.id);
  });

  it('given no MASTER_KEY in production, then start-up is refused, naming the variable, and no key file is written', () => {
    expect(() => resolveMasterKey({ DATA_DIR: dir, NODE_ENV: 'production' })).toThrow(MasterKeyUnavailable);
    expect(() => resolveMasterKey({ DATA_DIR: dir, NODE_ENV: 'production' })).toThrow(
      /MASTER_KEY is required when NODE_ENV=production/,
    );
    expect(existsSync(join(dir, MASTER_KEY_FILE))).toBe(false);
  });

  it('given MASTER_KEY in production, then that key is used and no file is written', () => {
    const bytes = randomBytes(32);
    const key = resolveMasterKey({ MASTER_KEY: bytes.toString('base64'), DATA_DIR: dir, NODE_ENV: 'production' });
    expect(key.id).toBe(MasterKey.fromBytes(bytes).id);
    expect(existsSync(join(dir, MASTER_KEY_FILE))).toBe(false);
  });

  it('given a development key file readable by others, then it is refused', () => {
    resolveMasterKey({ DATA_DIR: dir, NODE_ENV: 'development' });
    chmodSync(join(dir, MASTER_KEY_FILE), 0o644);
    expect(() => resolveMasterKey({ DATA_DIR: dir, NODE_ENV: 'development' })).toThrow(/chmod 600/);
  });

  it('given MASTER_KEY in the environment, then the platform validates it and never prints a bad value', () => {
    const good = randomBytes(32).toString('base64');
    expect(validateEnvironment({ MASTER_KEY: good }).MASTER_KEY).toBe(good);
    expect(validateEnvironment({}).MASTER_KEY).toBeUndefined();
    const bad = randomBytes(31).toString('base64');
    expect(() => validateEnvironment({ MASTER_KEY: bad })).toThrow(
      /MASTER_KEY=\(hidden\): MASTER_KEY must be the base64 of exactly 32/,
    );
    expect(() => validateEnvironment({ MASTER_KEY: bad })).not.toThrow(bad);
  });

  it('given the module, then PATIENT_VAULT is a working vault in DATA_DIR/identity.sqlite, closed on shutdown', async () => {
    const env = validateEnvironment({ DATA_DIR: dir, MASTER_KEY: randomBytes(32).toString('base64') });
    const app = await Test.createTestingModule({ imports: [IdentityModule.forRoot(env)] }).compile();
    const vault = app.get<PatientVault>(PATIENT_VAULT);
    const patientId = await vault.patientIdFor('9434765919');
    await expect(vault.decrypt(patientId, await vault.encrypt(patientId, 'ok'))).resolves.toBe('ok');
    expect(existsSync(join(dir, 'identity.sqlite'))).toBe(true);
    await app.close();
    await expect(vault.findPatient('9434765919')).rejects.toThrow(/not open/);
  });
});
