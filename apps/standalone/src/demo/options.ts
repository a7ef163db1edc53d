import { addLondonDays, londonDate, startOfLondonDay } from '@app/time';

export interface DemoOptions {
  /** PRNG seed: the same seed (and start) plays the same activity. */
  seed: number;
  /** Simulated minutes per real second once live. */
  speed: number;
  /** Past days played as fast as possible first, so the dashboards have history. */
  days: number;
  /** Mean referrals a day. */
  referralsPerDay: number;
  /** The reference-data pathway target set the mix follows. */
  targets?: string;
  /** Where simulated time starts (default: London midnight `days` days ago). */
  start: Date;
}

export const DEMO_USAGE = `npm run demo -- [--seed N] [--speed MIN_PER_S] [--days N] [--referrals-per-day N] [--targets SET_ID] [--start YYYY-MM-DD]

  --seed N                 PRNG seed (default 2026): the same seed and start replay the same activity
  --speed N                simulated minutes per real second once live (default 1: a day in 24 minutes;
                           60 plays an hour a second)
  --days N                 past days played quickly first, so the dashboards have history (default 3)
  --referrals-per-day N    mean referrals a day across both trusts (default 60)
  --targets ID             pathway target set from the reference data (default: the first, the national target)
  --start YYYY-MM-DD       London date the simulation starts (default: today minus --days)

Environment: PORT (3000), HOST (127.0.0.1), DATA_DIR (./data/demo, wiped at each start).`;

export class DemoUsageError extends Error {
  override readonly name = 'DemoUsageError';
}

/** `--name value` or `--name=value`. */
export function parseDemoArgs(argv: readonly string[], now: Date = new Date()): DemoOptions {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') throw new DemoUsageError(DEMO_USAGE);
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new DemoUsageError(`Unexpected argument ${arg}\n\n${DEMO_USAGE}`);
    const value = match[2] ?? argv[++i];
    if (value === undefined) throw new DemoUsageError(`--${match[1]} needs a value`);
    values.set(match[1], value);
  }
  const known = ['seed', 'speed', 'days', 'referrals-per-day', 'targets', 'start'];
  for (const name of values.keys()) {
    if (!known.includes(name)) throw new DemoUsageError(`Unknown option --${name}\n\n${DEMO_USAGE}`);
  }
  const number = (name: string, fallback: number, min: number, max: number, integer = true): number => {
    const raw = values.get(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
      throw new DemoUsageError(`--${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`);
    }
    return n;
  };
  const days = number('days', 3, 0, 60);
  const startDate = values.get('start') ?? addLondonDays(londonDate(now), -days);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(startDate)) throw new DemoUsageError('--start must be a date, YYYY-MM-DD');
  return {
    seed: number('seed', 2026, 0, 2 ** 31 - 1),
    speed: number('speed', 1, 0.01, 100_000, false),
    days,
    referralsPerDay: number('referrals-per-day', 60, 0, 2000),
    targets: values.get('targets'),
    start: startOfLondonDay(startDate),
  };
}
