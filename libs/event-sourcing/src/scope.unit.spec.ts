import { DomainRefusal } from './decider';
import { assertInScope, isInScope } from './scope';

const ward = { userId: 'w', role: 'ward' as const, organisation: 'RH5' };
const provider = { userId: 'p', role: 'provider' as const, organisation: 'PRV-1' };
const leader = { userId: 'l', role: 'leader' as const, organisation: 'ICB' };
const hub = { userId: 'h', role: 'hub' as const, organisation: 'TOCH' };

describe('record scope', () => {
  it.each([
    [ward, { hospital: 'RH5' }, true],
    [ward, { hospital: 'RA4' }, false],
    [ward, {}, false],
    [provider, { provider: 'PRV-1' }, true],
    [provider, { provider: 'PRV-2', hospital: 'RH5' }, false],
    [leader, { hospital: 'RH5' }, false],
    [hub, { hospital: 'RA4' }, true],
  ])('%o on %o → %p', (actor, scope, allowed) => expect(isInScope(actor, scope)).toBe(allowed));

  it('refuses out of scope as forbidden, without echoing the record', () => {
    expect(() => assertInScope(ward, { hospital: 'RA4' })).toThrow(DomainRefusal);
    try {
      assertInScope(ward, { hospital: 'RA4' });
    } catch (error) {
      expect(error).toMatchObject({ code: 'OUT_OF_SCOPE', kind: 'forbidden' });
      expect((error as Error).message).not.toContain('RA4');
    }
  });
});
