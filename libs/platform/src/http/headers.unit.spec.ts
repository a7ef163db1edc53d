import { parseIdempotencyKey, parseIfMatch } from './headers';

describe('conditional and idempotent request headers', () => {
  it.each([
    ['"3"', 3],
    ['3', 3],
    ['W/"12"', 12],
    [undefined, undefined],
  ])('If-Match %p reads as revision %p', (header, revision) => expect(parseIfMatch(header)).toBe(revision));

  it.each(['"three"', '-1', '"3', '1e3'])('If-Match %p is refused naming the header', (header) =>
    expect(() => parseIfMatch(header)).toThrow(
      expect.objectContaining({
        response: expect.objectContaining({ errors: [expect.objectContaining({ field: 'If-Match' })] }),
      }),
    ),
  );

  it('accepts a UUID as an Idempotency-Key and refuses a short or odd one', () => {
    expect(parseIdempotencyKey('0b7c6f1e-8a54-4f0e-9a57-3f4f7a1f0c11')).toBe('0b7c6f1e-8a54-4f0e-9a57-3f4f7a1f0c11');
    expect(() => parseIdempotencyKey('abc')).toThrow();
    expect(() => parseIdempotencyKey('key with spaces')).toThrow();
  });
});
