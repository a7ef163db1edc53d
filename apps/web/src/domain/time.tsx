/** Dates as people in England read them: Europe/London, whatever the device's own zone. */
const LONDON = 'Europe/London';

export function londonToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: LONDON, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function formatInstant(iso: string | undefined | null): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat('en-GB', { timeZone: LONDON, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

export function formatDate(date: string | undefined | null): string {
  if (!date) return '—';
  const [y, m, d] = date.split('-').map(Number);
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', dateStyle: 'medium' }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** "2 h 05 min", "35 min", "3 d 4 h" since `iso`. */
export function elapsedSince(iso: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.floor((now - new Date(iso).getTime()) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** The offset of Europe/London at `instant`, e.g. "+01:00". */
function londonOffset(instant: Date): string {
  const part = new Intl.DateTimeFormat('en-GB', { timeZone: LONDON, timeZoneName: 'longOffset' })
    .formatToParts(instant)
    .find((p) => p.type === 'timeZoneName')?.value;
  const match = /GMT([+-]\d{2}:\d{2})/.exec(part ?? '');
  return match ? match[1] : '+00:00';
}

/** A London wall-clock time from a datetime-local input ("2026-11-25T14:30") → an ISO instant with its offset. */
export function londonLocalToInstant(local: string): string {
  const guess = new Date(`${local}:00Z`);
  // Try the offset in force at the guessed instant, then re-check at the corrected one (clock-change days).
  let offset = londonOffset(guess);
  const corrected = new Date(`${local}:00${offset}`);
  offset = londonOffset(corrected);
  return `${local}:00${offset}`;
}

/** Now as a datetime-local value in London. */
export function londonNowLocal(now = new Date()): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: LONDON,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}
