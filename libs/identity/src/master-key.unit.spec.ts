import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { MasterKey } from './master-key';

describe('MasterKey', () => {
  it('given the same 32 bytes, then the key id is the same; given other bytes, it differs', () => {
    const bytes = randomBytes(32);
    expect(MasterKey.fromBytes(bytes).id).toBe(MasterKey.fromBase64(bytes.toString('base64')).id);
    expect(MasterKey.fromBytes(bytes).id).toMatch(/^[0-9a-f]{16}$/);
    expect(MasterKey.generate().id).not.toBe(MasterKey.fromBytes(bytes).id);
  });

  it.each([
    ['too short', randomBytes(16).toString('base64')],
    ['too long', randomBytes(48).toString('base64')],
    ['not base64', '!'.repeat(44)],
  ])('given a MASTER_KEY that is %s, then it is refused without repeating it', (_, text) => {
    expect(() => MasterKey.fromBase64(text)).toThrow('MASTER_KEY must be the base64 of exactly 32 random bytes');
    try {
      MasterKey.fromBase64(text);
    } catch (error) {
      expect((error as Error).message).not.toContain(text);
    }
  });

  it('given a wrapped secret, then it unwraps only with the same key and the same context', () => {
    const key = MasterKey.generate();
    const secret = randomBytes(32);
    const wrapped = key.wrap(secret, 'patient-a');
    expect(key.unwrap(wrapped, 'patient-a')).toEqual(secret);
    expect(key.unwrap(wrapped, 'patient-b')).toBeUndefined();
    expect(MasterKey.generate().unwrap(wrapped, 'patient-a')).toBeUndefined();
  });

  it('given a master key is logged or serialised, then its bytes do not appear', () => {
    const bytes = randomBytes(32);
    const key = MasterKey.fromBytes(bytes);
    const printed = `${inspect(key, { depth: 5, showHidden: true })} ${String(key)} ${JSON.stringify(key)}`;
    expect(printed).not.toContain(bytes.toString('base64'));
    expect(printed).not.toContain(bytes.toString('hex'));
  });
});
