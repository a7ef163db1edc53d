/** Fictional people and a byte-level scanner for their identifiers, shared by the personal-data suites. */

/** A 999-range NHS number (fictional) with a valid Modulus-11 check digit. */
export function fictionalNhsNumber(seed: number): string {
  for (let n = seed; ; n++) {
    const digits = `999${String(n).padStart(6, '0')}`.split('').map(Number);
    const check = 11 - (digits.reduce((sum, d, i) => sum + d * (10 - i), 0) % 11);
    if (check === 10) continue;
    return [...digits, check === 11 ? 0 : check].join('');
  }
}

/** The people of this demo: fictional, and distinctive enough that a match anywhere is a leak. */
export const PEOPLE = [
  { givenName: 'Winifred', familyName: 'Quarrington', dateOfBirth: '1938-04-17', postcode: 'TA6 9QZ' },
  { givenName: 'Bartholomew', familyName: 'Fenwick-Ashdown', dateOfBirth: '1944-08-02', postcode: 'BA4 7XJ' },
  { givenName: 'Perpetua', familyName: 'Lindqvist', dateOfBirth: '1951-12-30', postcode: 'TA20 3WP' },
  { givenName: 'Ignatius', familyName: 'Oyelaran', dateOfBirth: '1933-06-09', postcode: 'BA16 0QR' },
].map((p, i) => ({ ...p, nhsNumber: fictionalNhsNumber(101_000 + i * 37) }));

/** An NHS number as people write it: 3 3 4. */
export const spacedNhsNumber = (nhsNumber: string): string =>
  `${nhsNumber.slice(0, 3)} ${nhsNumber.slice(3, 6)} ${nhsNumber.slice(6)}`;

/** Every way an identifier of these people could appear: names, NHS numbers (plain and spaced), postcodes. */
export const needlesOf = (people: readonly { givenName: string; familyName: string; nhsNumber: string; postcode: string }[]) =>
  people.flatMap((p) => [
    p.givenName,
    p.familyName,
    p.nhsNumber,
    spacedNhsNumber(p.nhsNumber),
    p.postcode,
    p.postcode.replace(' ', ''),
  ]);

export const NEEDLES = needlesOf(PEOPLE);

/** Where each needle occurs in a haystack, as UTF-8 and as UTF-16LE (SQLite may store either). */
export function scan(haystacks: Record<string, Buffer | string>, needles: readonly string[] = NEEDLES): string[] {
  const found: string[] = [];
  for (const [where, content] of Object.entries(haystacks)) {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    for (const needle of needles) {
      if (bytes.includes(Buffer.from(needle, 'utf8')) || bytes.includes(Buffer.from(needle, 'utf16le')))
        found.push(`${needle} in ${where}`);
    }
  }
  return found;
}
