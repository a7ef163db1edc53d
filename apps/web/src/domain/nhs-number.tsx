/**
 * NHS number checks, as in libs/identity/src/nhs-number.ts: ten digits, Modulus 11 over the first nine with
 * weights 10..2; check = 11 − remainder, 11 → 0, and 10 is never issued (invalid).
 */
export const normaliseNhsNumber = (value: string) => value.replace(/[\s-]/g, '');

export function isValidNhsNumber(value: string): boolean {
  if (!/^\d{10}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(value[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(value[9]);
}

/**
 * The message to show while typing, or null when fine. Empty is allowed (an untraced person has none yet).
 * `finished` is true once the field lost focus: only then is "too short" an error.
 */
export function nhsNumberProblem(raw: string, finished: boolean): string | null {
  const value = normaliseNhsNumber(raw);
  if (value === '') return null;
  if (!/^\d+$/.test(value)) return 'Enter numbers only; spaces are allowed';
  if (value.length > 10) return 'An NHS number is 10 digits';
  if (value.length < 10) return finished ? 'An NHS number is 10 digits' : null;
  return isValidNhsNumber(value) ? null : 'This is not a valid NHS number: the check digit does not match. Check each digit.';
}

/** "9434765919" → "943 476 5919". */
export const formatNhsNumber = (value: string) =>
  /^\d{10}$/.test(value) ? `${value.slice(0, 3)} ${value.slice(3, 6)} ${value.slice(6)}` : value;
