import { createSecretKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gcmOpen, gcmSeal, KEY_BYTES } from './aes-gcm';
import { MasterKeyUnavailable } from './errors';

const BASE64_32_BYTES = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

/**
 * The key that wraps every patient's data key. Held as a KeyObject so it cannot be logged or
 * serialised by accident. Its id is a one-way HKDF output, so rows record which master wrapped them.
 */
export class MasterKey {
  private constructor(
    private readonly key: KeyObject,
    readonly id: string,
  ) {}

  static fromBytes(bytes: Buffer): MasterKey {
    if (bytes.length !== KEY_BYTES) throw new MasterKeyUnavailable(`A master key must be ${KEY_BYTES} bytes`);
    const id = Buffer.from(hkdfSync('sha256', bytes, Buffer.alloc(0), 'toc-hub/identity/master-key-id/v1', 8)).toString('hex');
    return new MasterKey(createSecretKey(bytes), id);
  }

  static fromBase64(text: string): MasterKey {
    if (!BASE64_32_BYTES.test(text.trim())) {
      throw new MasterKeyUnavailable('MASTER_KEY must be the base64 of exactly 32 random bytes (openssl rand -base64 32)');
    }
    return MasterKey.fromBytes(Buffer.from(text.trim(), 'base64'));
  }

  static generate(): MasterKey {
    return MasterKey.fromBytes(randomBytes(KEY_BYTES));
  }

  /** `context` is bound as AAD, so a wrapped key cannot be moved to another row. */
  wrap(secret: Buffer, context: string): Buffer {
    return gcmSeal(this.key, secret, Buffer.from(context, 'utf8'));
  }

  unwrap(wrapped: Buffer, context: string): Buffer | undefined {
    return gcmOpen(this.key, wrapped, Buffer.from(context, 'utf8'));
  }

  toString(): string {
    return `MasterKey(${this.id})`;
  }
}

export interface MasterKeySettings {
  MASTER_KEY?: string;
  DATA_DIR: string;
  NODE_ENV: 'development' | 'test' | 'production';
}

export const MASTER_KEY_FILE = 'master.key';

/**
 * MASTER_KEY when set. Otherwise, outside production only, a key generated once into
 * DATA_DIR/master.key (mode 0600), so a restarted development hub can still read its data.
 */
export function resolveMasterKey(settings: MasterKeySettings): MasterKey {
  if (settings.MASTER_KEY) return MasterKey.fromBase64(settings.MASTER_KEY);
  if (settings.NODE_ENV === 'production') {
    throw new MasterKeyUnavailable(
      'MASTER_KEY is required when NODE_ENV=production: set it to the base64 of 32 random bytes ' +
        '(e.g. openssl rand -base64 32) from your secret store. A generated development key is refused.',
    );
  }
  const path = join(settings.DATA_DIR, MASTER_KEY_FILE);
  mkdirSync(settings.DATA_DIR, { recursive: true });
  try {
    // 'wx' fails if another process created it first; then both read the same key.
    writeFileSync(path, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
    throw new MasterKeyUnavailable(`${path} is readable by other users; run chmod 600 on it`);
  }
  return MasterKey.fromBase64(readFileSync(path, 'utf8'));
}
