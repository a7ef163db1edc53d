import { randomBytes } from 'node:crypto';
import { gcmOpen, gcmSeal } from './aes-gcm';
import { formatSealed, parseSealed, sealingAad } from './sealed-value';

describe('sealed value', () => {
  const key = randomBytes(32);

  it('given a value sealed under one key for patient A, then the AAD alone stops it opening for patient B', () => {
    const blob = gcmSeal(key, Buffer.from('"Ada"'), sealingAad('patient-a', 'k1'));
    expect(gcmOpen(key, blob, sealingAad('patient-a', 'k1'))?.toString()).toBe('"Ada"');
    expect(gcmOpen(key, blob, sealingAad('patient-b', 'k1'))).toBeUndefined();
    expect(gcmOpen(key, blob, sealingAad('patient-a', 'k2'))).toBeUndefined();
  });

  it('given a formatted value, then parsing gives back the key id and the same bytes', () => {
    const blob = gcmSeal(key, Buffer.from('x'), sealingAad('p', 'k1'));
    const sealed = formatSealed('k1', blob);
    expect(sealed.split('.')).toHaveLength(4);
    expect(parseSealed(sealed)).toEqual({ dataKeyId: 'k1', blob });
  });

  it.each([undefined, 42, '', 'v1.k1', 'v1.k1.AAAA.AAAA', 'v1.k1.!!!.AAAA', 'v0.k1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA'])(
    'given %p, then it is not a sealed value',
    (value) => expect(parseSealed(value)).toBeUndefined(),
  );
});
