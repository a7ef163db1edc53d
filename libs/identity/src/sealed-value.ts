import { IV_BYTES, TAG_BYTES } from './aes-gcm';

/** `v1.<dataKeyId>.<iv>.<ciphertext ‖ tag>`, each part base64url. Safe to store in events: it is ciphertext. */
export type SealedValue = `v1.${string}`;

export interface SealedParts {
  dataKeyId: string;
  /** iv ‖ ciphertext ‖ tag, as gcmSeal returns it. */
  blob: Buffer;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function formatSealed(dataKeyId: string, blob: Buffer): SealedValue {
  const iv = blob.subarray(0, IV_BYTES).toString('base64url');
  return `v1.${dataKeyId}.${iv}.${blob.subarray(IV_BYTES).toString('base64url')}`;
}

export function parseSealed(sealed: unknown): SealedParts | undefined {
  if (typeof sealed !== 'string') return undefined;
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== 'v1' || !parts.slice(1).every((p) => BASE64URL.test(p))) return undefined;
  const iv = Buffer.from(parts[2], 'base64url');
  const body = Buffer.from(parts[3], 'base64url');
  if (iv.length !== IV_BYTES || body.length < TAG_BYTES) return undefined;
  return { dataKeyId: parts[1], blob: Buffer.concat([iv, body]) };
}

/** Additional authenticated data: the version, the patient and the key, so a value opens only where it was sealed. */
export const sealingAad = (patientId: string, dataKeyId: string) =>
  Buffer.from(`toc-hub/identity/sealed/v1|${patientId}|${dataKeyId}`, 'utf8');
