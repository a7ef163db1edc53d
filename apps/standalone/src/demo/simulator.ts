import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { EventStore } from '@app/event-sourcing';
import { DeadlineScheduler, EVENT_STORE, MessagingLifecycle } from '@app/platform';
import { ProjectionRegistry } from '@app/projections/projections.module';
import type { PathwayTargetSet, ReferenceData } from '@app/reference-data';
import {
  addLondonDays,
  londonDate,
  londonDateTimeParts,
  startOfLondonDay,
  type ControllableClock,
  type LondonDate,
} from '@app/time';
import { FictionalPeople } from './identities';
import { Prng } from './prng';

/**
 * The demo simulator: plays seeded, repeatable activity through the running app's real HTTP API (in-process
 * `app.inject`), as the standalone demo users: ward teams refer and discharge, the hub accepts, assigns
 * pathways near a configured target split, records delays, reserves recommended beds, offers packages and
 * closes beds and sites; providers post daily capacity returns and answer offers.
 *
 * It owns the clock (a ControllableClock the app was built with): it moves time to the next thing due,
 * fires the deadline scheduler, and waits for relays, process managers and projections to settle before
 * the next step, so a seed always produces the same sequence of commands.
 *
 * Logs are counts only: never a name, an NHS number, a date of birth or a postcode.
 */

type Pathway = 0 | 1 | 2 | 3;
type AgeBand = '18-64' | '65-74' | '75-84' | '85+';

export interface SimulatorOptions {
  seed: number;
  clock: ControllableClock;
  referenceData: ReferenceData;
  /** Mean referrals a day across both trusts. Default 60. */
  referralsPerDay?: number;
  /** Which reference-data target set the pathway mix follows. Default: the first one. */
  targetSetId?: string;
  /** Where the hourly count lines go. Default: nowhere. */
  log?: (line: string) => void;
}

export interface SimulatorStats {
  referrals: number;
  accepted: number;
  returned: number;
  pathways: Record<Pathway, number>;
  discharges: Record<Pathway, number>;
  withdrawn: number;
  ctrNotMet: number;
  drdResets: number;
  delaysOpened: number;
  primaryChanges: number;
  delaysClosed: number;
  capacityReturns: number;
  offers: number;
  offersAccepted: number;
  offersDeclined: number;
  packagesStarted: number;
  packagesEnded: number;
  reservations: number;
  noBedFits: number;
  bedsLeft: number;
  bedClosures: number;
  bedReopenings: number;
  siteClosures: number;
  siteReopenings: number;
  communityReferrals: number;
  /** 4xx answers: refusals the simulator met (e.g. a bed taken, capacity not free). */
  refusals: number;
}

const emptyStats = (): SimulatorStats => ({
  referrals: 0,
  accepted: 0,
  returned: 0,
  pathways: { 0: 0, 1: 0, 2: 0, 3: 0 },
  discharges: { 0: 0, 1: 0, 2: 0, 3: 0 },
  withdrawn: 0,
  ctrNotMet: 0,
  drdResets: 0,
  delaysOpened: 0,
  primaryChanges: 0,
  delaysClosed: 0,
  capacityReturns: 0,
  offers: 0,
  offersAccepted: 0,
  offersDeclined: 0,
  packagesStarted: 0,
  packagesEnded: 0,
  reservations: 0,
  noBedFits: 0,
  bedsLeft: 0,
  bedClosures: 0,
  bedReopenings: 0,
  siteClosures: 0,
  siteReopenings: 0,
  communityReferrals: 0,
  refusals: 0,
});

interface DemoUserRow {
  userId: string;
  role: string;
  organisation: string;
  displayName: string;
}

interface SimCase {
  caseId: string;
  ward: string;
  wardUser: string;
  area: string;
  usualResidence: 'own-home' | 'care-home' | 'extra-care';
  pathway: Pathway;
  homeCareNeeded: boolean;
  bedCategory: string | null;
  intentionToReturnHome: boolean;
  careHours: number;
  status: 'referred' | 'accepted' | 'returned' | 'withdrawn' | 'discharged';
  assigned: boolean;
  /** The current NCTR period's DRD; null while the person meets CTR. */
  drd: LondonDate | null;
  /** When the current NCTR period was recorded. */
  nctrRecordedAt: number;
  admittedOn: LondonDate;
  lastMetAgainOn: LondonDate | null;
  delays: { delayId: string; reasonCode: string; primary: boolean }[];
  willReset: boolean;
  willWithdraw: boolean;
  /** Waits past the DRD for a reason of its own (a delay on the board): extra days before discharge. */
  extraDays: number;
  packageId: string | null;
  packageAccepted: { providerId: string; startOn: LondonDate } | null;
  reservation: { bedId: string; siteKind: string; category: string } | null;
  dischargeScheduled: boolean;
}

interface SimReferral {
  referralId: string;
  kind: 'step-up' | 'end-of-life';
  setting: 'home' | 'bed' | 'signposted' | null;
  packageId: string | null;
  arranged: boolean;
  started: boolean;
}

interface AgendaItem {
  at: number;
  seq: number;
  what: string;
  run: () => Promise<void>;
}

interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Time moves at most this far in one step, so deadlines fire close to when they fall due. */
const MAX_STEP = 15 * MINUTE;

const WARDS = [
  { user: 'ward.musgrove', hospital: 'RH5', weight: 6 },
  { user: 'ward.yeovil', hospital: 'RA4', weight: 4 },
] as const;
/** Where people from each trust's catchment usually live. */
const AREAS_BY_TRUST: Record<string, readonly (readonly [string, number])[]> = {
  RH5: [
    ['SOMERSET_WEST_AND_TAUNTON', 5],
    ['SEDGEMOOR', 4],
    ['MENDIP', 2],
    ['SOUTH_SOMERSET', 1],
  ],
  RA4: [
    ['SOUTH_SOMERSET', 6],
    ['MENDIP', 2],
    ['SEDGEMOOR', 1],
    ['SOMERSET_WEST_AND_TAUNTON', 1],
  ],
};
const AGE_BANDS: readonly (readonly [AgeBand, number])[] = [
  ['18-64', 15],
  ['65-74', 20],
  ['75-84', 35],
  ['85+', 30],
];
const P2_CATEGORIES: readonly (readonly [string, number])[] = [
  ['rehab', 60],
  ['reablement', 8],
  ['step-down', 10],
  ['end-of-life', 14],
  ['opmh', 8],
];
const HOSPITAL_DELAYS = [
  'HOSP-MEDICINES',
  'HOSP-TRANSPORT',
  'HOSP-THERAPY',
  'HOSP-DIAGNOSTICS',
  'EQUIPMENT',
  'WELLBEING-CONCERNS',
];
const SECOND_DELAYS = ['HOUSING', 'CHC-DECISION', 'SAFEGUARDING-COP', 'HUB-ACTION'];
const CAPACITY_DELAY: Record<Pathway, string> = { 0: 'HOSP-TRANSPORT', 1: 'CAP-P1', 2: 'CAP-P2', 3: 'CAP-P3' };
const DECLINE_REASONS = ['no-carers-available', 'outside-travel-area', 'double-up-not-available', 'start-date-not-possible'];
const BED_CLOSURE_REASONS = ['maintenance', 'staffing', 'infection'];

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** A route as a command type: ids and codes in the path replaced, so two runs compare as the same shape. */
export const routeShape = (url: string): string =>
  url
    .split('?')[0]
    .replace(UUID, ':id')
    .replace(/\/(beds|sites|providers)\/[A-Z0-9-]+/g, '/$1/:code');

export class Simulator {
  readonly stats: SimulatorStats = emptyStats();
  /** Every command in order: `user POST /route/shape -> status`. No ids, no personal data. */
  readonly trace: string[] = [];

  private readonly prng: Prng;
  private readonly people: FictionalPeople;
  private readonly clock: ControllableClock;
  private readonly referenceData: ReferenceData;
  private readonly referralsPerDay: number;
  private readonly targetSet: PathwayTargetSet;
  private readonly log: (line: string) => void;
  private readonly agenda: AgendaItem[] = [];
  private readonly cases = new Map<string, SimCase>();
  private readonly referrals = new Map<string, SimReferral>();
  private readonly tokens = new Map<string, { token: string; issuedAt: number }>();
  private users: DemoUserRow[] = [];
  private hubUser = 'hub.coordinator';
  /** Provider id → the demo user who signs in for it (only those can answer offers). */
  private readonly providerUsers = new Map<string, string>();
  private providers: { providerId: string; localities: string[] }[] = [];
  private siteKinds = new Map<string, string>();
  private deck: Pathway[] = [];
  private seq = 0;
  private daysPlanned = 0;
  private keySeq = 0;
  private scheduledUntil = 0;
  private lastLoggedHour = 0;
  private hourMark: SimulatorStats = emptyStats();
  private communityHook: ((now: number) => Promise<void>) | undefined;
  private readonly seed: number;

  constructor(
    private readonly app: NestFastifyApplication,
    options: SimulatorOptions,
  ) {
    this.seed = options.seed;
    this.prng = new Prng(options.seed);
    this.people = new FictionalPeople(new Prng(options.seed ^ 0x5eed));
    this.clock = options.clock;
    this.referenceData = options.referenceData;
    this.referralsPerDay = options.referralsPerDay ?? 60;
    const sets = this.referenceData.contents.pathwayTargetSets;
    const set = options.targetSetId ? sets.find((s) => s.id === options.targetSetId) : sets[0];
    if (!set) throw new Error(`No pathway target set ${options.targetSetId}; known: ${sets.map((s) => s.id).join(', ')}`);
    this.targetSet = set;
    this.log = options.log ?? (() => undefined);
  }

  /** The pathway split the simulator aims at (percent by pathway) and where it comes from. */
  get targetSplit(): { id: string; label: string; percent: Record<Pathway, number> } {
    const percent = { 0: 0, 1: 0, 2: 0, 3: 0 } as Record<Pathway, number>;
    for (const target of this.targetSet.targets) percent[target.pathway] = target.percent;
    return { id: this.targetSet.id, label: this.targetSet.label, percent };
  }

  /** Reads who the demo users are and what the app has (providers, sites); schedules the first day. */
  async init(): Promise<void> {
    const users = await this.app.inject({ method: 'GET', url: '/auth/dev/users' });
    if (users.statusCode !== 200)
      throw new Error(`The demo needs the development sign-in (/auth/dev/users): ${users.statusCode}`);
    this.users = users.json();
    this.hubUser = this.users.find((u) => u.role === 'hub')?.userId ?? this.hubUser;
    for (const user of this.users) if (user.role === 'provider') this.providerUsers.set(user.organisation, user.userId);
    await this.settle();
    this.providers = (await this.get(this.hubUser, '/api/home-care/providers')).body.map(
      (p: { providerId: string; localities: string[] }) => ({ providerId: p.providerId, localities: p.localities }),
    );
    const sites = (await this.get(this.hubUser, '/api/bed-base/sites')).body as { siteId: string; kind: string }[];
    this.siteKinds = new Map(sites.map((s) => [s.siteId, s.kind]));
    this.communityHook = await this.communityReferralsHook();
    this.lastLoggedHour = Math.floor(this.now() / HOUR);
  }

  /** The demo users as the development issuer lists them. */
  get demoUsers(): readonly DemoUserRow[] {
    return this.users;
  }

  /**
   * Plays activity until `end`. With `pace`, simulated time runs at `speed` simulated minutes per real
   * second; without it, as fast as the app answers (the backfill, and tests).
   */
  async runUntil(end: Date, pace?: { speed: number; signal?: AbortSignal }): Promise<void> {
    const endAt = end.getTime();
    const realAnchor = Date.now();
    const simAnchor = this.now();
    for (;;) {
      if (pace?.signal?.aborted) return;
      this.scheduleDaysUntil(Math.min(endAt, this.now() + MAX_STEP) + DAY);
      const due = this.agenda[0];
      if (due && due.at <= this.now()) {
        this.agenda.shift();
        await due.run();
        await this.settle();
        continue;
      }
      if (this.now() >= endAt) break;
      const nextHour = (Math.floor(this.now() / HOUR) + 1) * HOUR;
      const target = Math.min(due?.at ?? Infinity, nextHour, endAt, this.now() + MAX_STEP);
      if (pace) {
        const wait = realAnchor + (target - simAnchor) / (pace.speed * 60) - Date.now();
        if (wait > 0) await sleep(wait, pace.signal);
        if (pace.signal?.aborted) return;
      }
      await this.clock.set(new Date(target));
      const fired = await this.app.get(DeadlineScheduler, { strict: false }).tick();
      if (fired > 0) await this.settle();
      this.logHourIfDue();
    }
    this.logHourIfDue();
  }

  // ─── The day's plan ─────────────────────────────────────────────────────────────────────────────────

  private scheduleDaysUntil(until: number) {
    if (this.scheduledUntil === 0) this.scheduledUntil = startOfLondonDay(londonDate(this.clock.now())).getTime();
    while (this.scheduledUntil < until) {
      const date = londonDate(new Date(this.scheduledUntil));
      this.planDay(date);
      this.scheduledUntil = startOfLondonDay(addLondonDays(date, 1)).getTime();
    }
  }

  /** Local (London) wall time on `date` as an instant. */
  private at(date: LondonDate, hour: number, minute = 0): number {
    return startOfLondonDay(date).getTime() + hour * HOUR + minute * MINUTE;
  }

  private planDay(date: LondonDate) {
    const now = this.now();
    const later = (at: number) => Math.max(at, now);
    // Arrivals: spread over the day, busiest late morning to mid-afternoon.
    const arrivals = Math.max(0, Math.round(this.referralsPerDay * (0.85 + this.prng.next() * 0.3)));
    for (let i = 0; i < arrivals; i++) {
      const hour = this.prng.weighted<number>([
        [7, 1], [8, 3], [9, 5], [10, 7], [11, 8], [12, 8], [13, 8], [14, 8], [15, 7], [16, 6], [17, 4], [18, 3], [19, 2], [20, 1],
      ]); // prettier-ignore
      const at = this.at(date, hour, this.prng.int(0, 59));
      if (at >= now) this.schedule(at, 'referral', () => this.refer());
    }
    // Providers' daily returns, 07:30–09:30: today and the next two days, for each locality they serve.
    for (const provider of this.providers) {
      const at = this.at(date, 7, 30 + this.prng.int(0, 120));
      this.schedule(later(at), 'capacity return', () => this.capacityReturn(provider.providerId, provider.localities));
    }
    // The hub's rounds: every 20 minutes in the day, every two hours at night.
    for (let minutes = 0; minutes < 24 * 60; minutes += 20) {
      const hour = Math.floor(minutes / 60);
      if ((hour < 8 || hour >= 20) && minutes % 120 !== 0) continue;
      const at = this.at(date, hour, minutes % 60);
      if (at >= now) this.schedule(at, 'hub round', () => this.hubRound());
    }
    // Each provider with a demo user looks at its offers every half hour, 08:00–20:00.
    for (const [providerId, user] of [...this.providerUsers].sort(([a], [b]) => a.localeCompare(b))) {
      for (let minutes = 8 * 60 + 10; minutes < 20 * 60; minutes += 30) {
        const at = this.at(date, Math.floor(minutes / 60), minutes % 60);
        if (at >= now) this.schedule(at, 'provider round', () => this.providerRound(providerId, user));
      }
    }
    // Board rounds, morning and afternoon: delays for people waiting.
    for (const hour of [10, 15]) {
      const boardRound = this.at(date, hour, 30);
      if (boardRound >= now) this.schedule(boardRound, 'board round', () => this.boardRound());
    }
    // A bed closes for the day, and every third day a care home has an outbreak and closes to admissions.
    const bedClosure = this.at(date, 9, this.prng.int(0, 480));
    if (bedClosure >= now) this.schedule(bedClosure, 'bed closure', () => this.closeABed());
    const outbreak = this.at(date, 11, this.prng.int(0, 120));
    if (this.daysPlanned % 3 === 0 && outbreak >= now) this.schedule(outbreak, 'outbreak', () => this.outbreak());
    this.daysPlanned++;
    if (this.communityHook) {
      const hook = this.communityHook;
      for (let i = 0; i < 3; i++) {
        const at = this.at(date, this.prng.int(8, 19), this.prng.int(0, 59));
        if (at >= now) this.schedule(at, 'community referral', () => hook(at));
      }
    }
  }

  private schedule(at: number, what: string, run: () => Promise<void>) {
    const item = { at, seq: this.seq++, what, run };
    // Binary insert by (at, seq): ties run in the order they were planned.
    let lo = 0;
    let hi = this.agenda.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const other = this.agenda[mid];
      if (other.at < at || (other.at === at && other.seq < item.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.agenda.splice(lo, 0, item);
  }

  private in(minutes: number, what: string, run: () => Promise<void>) {
    this.schedule(this.now() + minutes * MINUTE, what, run);
  }

  /** `from` if it falls in the day (10:00–19:00 London), else a time spread over the next day's 10:00–18:00. */
  private daytime(from: number): number {
    const { hour } = londonDateTimeParts(new Date(from));
    const date = londonDate(new Date(from));
    if (hour < 10) return this.at(date, 10, this.prng.int(0, 480));
    if (hour >= 19) return this.at(addLondonDays(date, 1), 10, this.prng.int(0, 480));
    return from;
  }

  // ─── Wards ──────────────────────────────────────────────────────────────────────────────────────────

  private drawPathway(): Pathway {
    if (this.deck.length === 0) {
      // A shuffled block of 100 with the target shares exactly: the mix stays close to the split at every size.
      const percent = this.targetSplit.percent;
      const total = ([0, 1, 2, 3] as Pathway[]).reduce((sum: number, p) => sum + percent[p], 0) || 1;
      const block: Pathway[] = [];
      for (const p of [0, 1, 2, 3] as Pathway[]) {
        for (let i = 0; i < Math.round((percent[p] / total) * 100); i++) block.push(p);
      }
      this.deck = this.prng.shuffle(block);
    }
    return this.deck.pop()!;
  }

  private async refer() {
    const ward = this.prng.weighted(WARDS.map((w) => [w, w.weight] as const));
    const hospital = this.referenceData.hospitals.find((h) => h.trustOdsCode === ward.hospital);
    if (!hospital) return;
    const wardCode = this.prng.pick(hospital.wards).code;
    const area = this.prng.weighted(AREAS_BY_TRUST[ward.hospital]);
    const today = londonDate(this.clock.now());
    const pathway = this.drawPathway();
    const bedCategory =
      pathway === 2 ? this.prng.weighted(P2_CATEGORIES) : pathway === 3 ? this.prng.pick(['nursing', 'residential']) : null;
    const ageBand = bedCategory === 'opmh' ? this.prng.pick<AgeBand>(['75-84', '85+']) : this.prng.weighted(AGE_BANDS);
    const person = this.people.person(area, today, ageBand);
    const usualResidence =
      pathway === 0 && this.prng.chance(0.12)
        ? 'care-home'
        : this.prng.weighted<SimCase['usualResidence']>([
            ['own-home', 92],
            ['extra-care', 8],
          ]);
    const answerable = this.providers.some((p) => p.localities.includes(area) && this.providerUsers.has(p.providerId));
    const homeCareNeeded = pathway === 1 && answerable && this.prng.chance(0.85);
    const careHours = homeCareNeeded ? this.prng.pick([7, 10, 14, 14, 17, 21]) : pathway === 0 ? 0 : this.prng.int(0, 7);
    const needs = this.needsFor(pathway, bedCategory, careHours);
    const proposedPathway: Pathway = this.prng.chance(0.85) ? pathway : pathway === 0 ? 1 : ((pathway - 1) as Pathway);
    const admittedOn = addLondonDays(today, -this.prng.int(0, 9));
    const response = await this.post(ward.user, '/api/discharge-cases', {
      patient: person,
      hospital: ward.hospital,
      ward: wardCode,
      admittedOn,
      area,
      usualResidence,
      proposedPathway,
      needs,
    });
    if (response.status !== 201) return;
    this.stats.referrals++;
    const simCase: SimCase = {
      caseId: response.body.caseId,
      ward: wardCode,
      wardUser: ward.user,
      area,
      usualResidence,
      pathway,
      homeCareNeeded,
      bedCategory,
      intentionToReturnHome: bedCategory === 'rehab' || bedCategory === 'reablement' || bedCategory === 'step-down',
      careHours,
      status: 'referred',
      assigned: false,
      drd: null,
      nctrRecordedAt: 0,
      admittedOn,
      lastMetAgainOn: null,
      delays: [],
      // Home care has no renewal on a new NCTR period (a bed request does): those cases are not reset here.
      willReset: this.prng.chance(0.07) && !homeCareNeeded,
      willWithdraw: this.prng.chance(0.03),
      extraDays: this.prng.weighted([
        [0, 55],
        [1, 25],
        [2, 12],
        [4, 8],
      ] as const),
      packageId: null,
      packageAccepted: null,
      reservation: null,
      dischargeScheduled: false,
    };
    this.cases.set(simCase.caseId, simCase);
    // Most people are referred once they no longer need acute care; the rest within the next day.
    const notMetIn = this.prng.chance(0.6) ? this.prng.int(5, 60) : this.prng.int(120, 1200);
    this.in(notMetIn, 'criteria to reside not met', () => this.criteriaNotMet(simCase));
  }

  private needsFor(pathway: Pathway, bedCategory: string | null, careHoursPerWeek: number) {
    const heavy = pathway === 3 && bedCategory === 'nursing';
    const mobility = heavy
      ? this.prng.pick(['hoist', 'assistance-of-two'])
      : pathway === 0
        ? this.prng.pick(['independent', 'walking-aid'])
        : this.prng.pick(['walking-aid', 'assistance-of-one', 'walking-aid']);
    const dementia = bedCategory === 'opmh' || (bedCategory === 'residential' && this.prng.chance(0.5));
    return {
      mobility,
      cognition: dementia ? 'moderate-impairment' : this.prng.pick(['no-concerns', 'no-concerns', 'mild-impairment']),
      careHoursPerWeek,
      equipment: pathway === 1 ? this.prng.pick([[], ['commode'], ['walking-frame']]) : [],
      specialist: {
        bariatric: false,
        dementia,
        endOfLife: bedCategory === 'end-of-life',
        opmh: bedCategory === 'opmh',
        sideRoom: false,
        sexForBayAllocation: this.prng.pick(['female', 'male']),
      },
    };
  }

  private async criteriaNotMet(c: SimCase) {
    if (!this.isOpen(c) || c.drd !== null) return;
    const today = londonDate(this.clock.now());
    const yesterdayAllowed = c.admittedOn < today && (c.lastMetAgainOn === null || c.lastMetAgainOn < today);
    const from = yesterdayAllowed && this.prng.chance(0.2) ? addLondonDays(today, -1) : today;
    const r = await this.post(c.wardUser, `/api/discharge-cases/${c.caseId}/criteria-to-reside/not-met`, { from });
    if (r.status !== 200) return;
    this.stats.ctrNotMet++;
    c.drd = from;
    c.nctrRecordedAt = this.now();
    if (c.willReset) {
      this.in(this.prng.int(2 * 60, 8 * 60), 'CTR met again', () => this.metAgain(c));
    } else if (c.willWithdraw) {
      this.in(this.prng.int(3 * 60, 30 * 60), 'withdrawal', () => this.withdraw(c));
    }
    if (c.pathway === 0 && c.status !== 'referred' && !c.assigned) await this.assignP0(c);
    if (c.assigned) this.planDischarge(c);
  }

  /** A DRD reset: the person needs acute care again, then is ready again a day or two later. */
  private async metAgain(c: SimCase) {
    if (!this.isOpen(c) || c.drd === null) return;
    const on = londonDate(this.clock.now());
    const r = await this.post(c.wardUser, `/api/discharge-cases/${c.caseId}/criteria-to-reside/met-again`, { on });
    if (r.status !== 200) return;
    this.stats.drdResets++;
    c.willReset = false;
    c.drd = null;
    c.lastMetAgainOn = on;
    c.delays = [];
    c.reservation = null;
    c.dischargeScheduled = false;
    this.in(this.prng.int(20 * 60, 50 * 60), 'criteria to reside not met', () => this.criteriaNotMet(c));
  }

  private async withdraw(c: SimCase) {
    if (!this.isOpen(c)) return;
    const reason = this.prng.chance(0.5) ? 'died' : 'readmitted-or-transferred-out';
    const r = await this.post(c.wardUser, `/api/discharge-cases/${c.caseId}/withdraw`, { reason });
    if (r.status !== 200) return;
    this.stats.withdrawn++;
    c.status = 'withdrawn';
  }

  private async assignP0(c: SimCase) {
    const r = await this.post(c.wardUser, `/api/discharge-cases/${c.caseId}/pathway`, { pathway: 0, reason: 'simple-discharge' });
    if (r.status !== 200) return;
    c.assigned = true;
    this.stats.pathways[0]++;
  }

  /** Schedules the discharge once what the pathway needs is in place. */
  private planDischarge(c: SimCase) {
    if (c.dischargeScheduled || c.drd === null || !c.assigned || c.willReset || c.willWithdraw) return;
    if (c.pathway === 1 && c.homeCareNeeded && !c.packageAccepted) return;
    if ((c.pathway === 2 || c.pathway === 3) && !c.reservation) return;
    c.dischargeScheduled = true;
    let at: number;
    if (c.pathway === 0 || (c.pathway === 1 && !c.homeCareNeeded)) {
      at = this.daytime(this.now() + this.prng.int(2 * 60, c.pathway === 0 ? 26 * 60 : 40 * 60) * MINUTE + c.extraDays * DAY);
    } else if (c.pathway === 1 && c.packageAccepted) {
      const start = this.at(addLondonDays(c.packageAccepted.startOn, 0), 10, this.prng.int(0, 300));
      at = Math.max(this.now() + 30 * MINUTE, start);
    } else {
      at = this.daytime(this.now() + this.prng.int(90, 16 * 60) * MINUTE);
    }
    this.schedule(at, 'discharge', () => this.discharge(c));
  }

  private async discharge(c: SimCase) {
    if (!this.isOpen(c) || c.drd === null) return;
    const destination = this.destinationFor(c);
    // P0/P1 discharges are the ward's; the hub records bedded ones as the bed is taken up.
    const user = c.pathway >= 2 ? this.hubUser : c.wardUser;
    const r = await this.post(user, `/api/discharge-cases/${c.caseId}/discharge`, {
      dischargedAt: this.clock.now().toISOString(),
      destination,
    });
    if (r.status !== 200) {
      c.dischargeScheduled = false;
      return;
    }
    c.status = 'discharged';
    this.stats.discharges[c.pathway]++;
    if (c.reservation) {
      const bedId = c.reservation.bedId;
      const stay = c.pathway === 2 ? this.prng.int(10, 28) : this.prng.int(21, 42);
      this.schedule(this.daytime(this.now() + stay * DAY), 'leaves bed', () => this.leaveBed(c.pathway, bedId));
    }
  }

  private destinationFor(c: SimCase): string {
    if (c.pathway === 0 || c.pathway === 1) {
      if (c.usualResidence === 'care-home') return this.prng.pick(['56', '55']);
      return this.prng.chance(0.95) ? '19' : '29';
    }
    if (c.pathway === 3) return c.bedCategory === 'nursing' ? '55' : '56';
    const kind = c.reservation?.siteKind;
    if (kind === 'hospice') return '88';
    if (kind === 'community-hospital') return '51';
    return '56';
  }

  // ─── The hub ────────────────────────────────────────────────────────────────────────────────────────

  private async hubRound() {
    for (const c of this.sortedCases()) {
      if (c.status === 'referred') await this.acceptOrReturn(c);
    }
    for (const c of this.sortedCases()) {
      if (c.status === 'accepted' && !c.assigned && c.drd !== null && c.pathway !== 0) await this.assign(c);
    }
    await this.offerPackages();
    await this.reserveBeds();
  }

  private async acceptOrReturn(c: SimCase) {
    if (this.prng.chance(0.03)) {
      const reason = this.prng.pick(['incomplete-information', 'wrong-service', 'duplicate-referral']);
      const r = await this.post(this.hubUser, `/api/discharge-cases/${c.caseId}/return`, { reason });
      if (r.status === 200) {
        c.status = 'returned';
        this.stats.returned++;
      }
      return;
    }
    const r = await this.post(this.hubUser, `/api/discharge-cases/${c.caseId}/accept`, {});
    if (r.status !== 200) return;
    c.status = 'accepted';
    this.stats.accepted++;
    if (c.pathway === 0 && c.drd !== null && !c.assigned) {
      await this.assignP0(c);
      this.planDischarge(c);
    }
  }

  private async assign(c: SimCase) {
    const body: Record<string, unknown> = {
      pathway: c.pathway,
      reason: this.prng.pick(['mdt-assessment', 'trusted-assessment']),
    };
    if (c.pathway === 1) body.homeCareNeeded = c.homeCareNeeded;
    if (c.pathway === 2) Object.assign(body, { bedCategory: c.bedCategory, intentionToReturnHome: c.intentionToReturnHome });
    if (c.pathway === 3) body.bedCategory = c.bedCategory;
    const r = await this.post(this.hubUser, `/api/discharge-cases/${c.caseId}/pathway`, body);
    if (r.status !== 200) return;
    c.assigned = true;
    this.stats.pathways[c.pathway]++;
    this.planDischarge(c);
  }

  /** Offers each waiting package to a provider that serves the area, can answer, and has the hours free. */
  private async offerPackages() {
    const waiting = (await this.get(this.hubUser, '/api/home-care/waiting')).body as {
      packageId: string;
      caseId: string | null;
      referralId?: string | null;
      status: string;
      area: string;
      hoursPerWeek: number;
      offersOut: number;
      offersDeclined: number;
    }[];
    const rows = waiting
      .filter((w) => w.status === 'requested' && w.offersOut === 0)
      .sort((a, b) => a.packageId.localeCompare(b.packageId));
    if (rows.length === 0) return;
    const { hour } = londonDateTimeParts(this.clock.now());
    if (hour < 8 || hour >= 20) return;
    const today = londonDate(this.clock.now());
    const startOn = hour < 11 ? today : addLondonDays(today, 1);
    const grid = (await this.get(this.hubUser, `/api/home-care/ledger?from=${startOn}&days=1`)).body as {
      providers: { providerId: string; localities: { locality: string; days: { freeHours: number }[] }[] }[];
    };
    const free = new Map<string, number>();
    for (const p of grid.providers ?? []) {
      for (const l of p.localities) free.set(`${p.providerId}|${l.locality}`, l.days[0]?.freeHours ?? 0);
    }
    for (const row of rows) {
      const c = row.caseId ? this.cases.get(row.caseId) : undefined;
      if (c) c.packageId = row.packageId;
      const referral = row.referralId ? this.referrals.get(row.referralId) : undefined;
      if (referral) referral.packageId = row.packageId;
      const candidates = this.providers
        .filter((p) => p.localities.includes(row.area) && this.providerUsers.has(p.providerId))
        .map((p) => ({ providerId: p.providerId, free: free.get(`${p.providerId}|${row.area}`) ?? 0 }))
        .filter((p) => p.free >= row.hoursPerWeek)
        .sort((a, b) => b.free - a.free || a.providerId.localeCompare(b.providerId));
      const choice = row.offersDeclined > 0 && candidates.length > 1 ? candidates[1] : candidates[0];
      if (!choice) continue;
      const r = await this.post(this.hubUser, `/api/home-care/packages/${row.packageId}/offers`, {
        providerId: choice.providerId,
        startOn,
      });
      if (r.status !== 201) continue;
      this.stats.offers++;
      free.set(`${choice.providerId}|${row.area}`, choice.free - row.hoursPerWeek);
    }
  }

  /** Reserves the top recommended bed for each open request; notes when no bed fits. */
  private async reserveBeds() {
    const requests = (await this.get(this.hubUser, '/api/bed-base/requests')).body as {
      requestId: string;
      caseId: string | null;
      reservation: unknown;
    }[];
    const open = requests.filter((r) => !r.reservation).sort((a, b) => a.requestId.localeCompare(b.requestId));
    for (const request of open) {
      const recommendation = await this.get(this.hubUser, `/api/bed-base/requests/${request.requestId}/recommendation`);
      if (recommendation.status !== 200) continue;
      const best = recommendation.body.ranked?.[0] as { bedId: string; siteId: string; category: string } | undefined;
      const c = request.caseId ? this.cases.get(request.caseId) : undefined;
      if (!best) {
        this.stats.noBedFits++;
        continue;
      }
      const r = await this.post(this.hubUser, `/api/bed-base/requests/${request.requestId}/reservations`, {
        bedId: best.bedId,
        expiresInHours: 24,
      });
      if (r.status !== 201) continue;
      this.stats.reservations++;
      const referral = request.caseId ? this.referrals.get(request.caseId) : undefined;
      if (referral) this.communityCareArranged(referral, this.now() + this.prng.int(60, 360) * MINUTE);
      if (c) {
        c.reservation = {
          bedId: best.bedId,
          siteKind: this.siteKinds.get(best.siteId) ?? 'community-hospital',
          category: best.category,
        };
        this.planDischarge(c);
      }
    }
  }

  /** The morning board round: a delay (with a primary) for everyone waiting past their DRD; some resolve. */
  private async boardRound() {
    const today = londonDate(this.clock.now());
    for (const c of this.sortedCases()) {
      if (!this.isOpen(c) || c.drd === null || (c.drd >= today && this.now() - c.nctrRecordedAt < 3 * HOUR)) continue;
      if (c.delays.length === 0) {
        const waitingForCare = (c.pathway === 1 && c.homeCareNeeded && !c.packageAccepted) || (c.pathway >= 2 && !c.reservation);
        const reasonCode = waitingForCare ? CAPACITY_DELAY[c.pathway] : this.prng.pick(HOSPITAL_DELAYS);
        await this.openDelay(c, reasonCode, false);
      } else if (c.delays.length === 1 && this.prng.chance(0.35)) {
        // A second reason turns out to be what really holds the person up: it becomes the primary.
        await this.openDelay(c, this.prng.pick(SECOND_DELAYS), true);
      } else if (this.prng.chance(0.3)) {
        const delay = c.delays[0];
        const r = await this.post(c.wardUser, `/api/discharge-cases/${c.caseId}/delays/${delay.delayId}/close`, {});
        if (r.status === 200) {
          this.stats.delaysClosed++;
          c.delays = c.delays.filter((d) => d.delayId !== delay.delayId);
        }
      }
    }
  }

  private async openDelay(c: SimCase, reasonCode: string, makePrimary: boolean) {
    if (c.delays.some((d) => d.reasonCode === reasonCode)) return;
    const user = reasonCode.startsWith('CAP') || reasonCode === 'HUB-ACTION' ? this.hubUser : c.wardUser;
    const delayId = this.prng.uuid();
    const r = await this.post(user, `/api/discharge-cases/${c.caseId}/delays`, { delayId, reasonCode, makePrimary });
    if (r.status !== 200) return;
    this.stats.delaysOpened++;
    if (makePrimary) this.stats.primaryChanges++;
    c.delays.push({ delayId, reasonCode, primary: makePrimary || c.delays.length === 0 });
  }

  // ─── Providers ──────────────────────────────────────────────────────────────────────────────────────

  private async capacityReturn(providerId: string, localities: readonly string[]) {
    const user = this.providerUsers.get(providerId) ?? this.hubUser;
    const today = londonDate(this.clock.now());
    for (const locality of localities) {
      for (let ahead = 0; ahead <= 2; ahead++) {
        const rostered = this.prng.int(12, 40);
        const r = await this.post(user, `/api/home-care/providers/${providerId}/capacity`, {
          locality,
          date: addLondonDays(today, ahead),
          hoursPerWeek: this.prng.int(3, 9) * 7,
          newPackages: this.prng.int(2, 6),
          staffing: { careWorkersRostered: rostered, careWorkersAbsent: Math.floor(rostered * this.prng.next() * 0.2) },
        });
        if (r.status === 200) this.stats.capacityReturns++;
      }
    }
  }

  private async providerRound(providerId: string, user: string) {
    const view = await this.get(user, `/api/home-care/providers/${providerId}/view`);
    if (view.status !== 200) return;
    const offers = [...(view.body.offers as { packageId: string; offerId: string; startOn: LondonDate }[])].sort((a, b) =>
      a.offerId.localeCompare(b.offerId),
    );
    for (const offer of offers) {
      const base = `/api/home-care/packages/${offer.packageId}/offers/${offer.offerId}`;
      if (this.prng.chance(0.2)) {
        const r = await this.post(user, `${base}/decline`, { reason: this.prng.pick(DECLINE_REASONS) });
        if (r.status === 200) this.stats.offersDeclined++;
        continue;
      }
      const r = await this.post(user, `${base}/accept`, {});
      if (r.status !== 200) continue;
      this.stats.offersAccepted++;
      const c = [...this.cases.values()].find((x) => x.packageId === offer.packageId);
      if (c) {
        c.packageAccepted = { providerId, startOn: offer.startOn };
        this.planDischarge(c);
      }
      const referral = [...this.referrals.values()].find((x) => x.packageId === offer.packageId);
      if (referral) this.communityCareArranged(referral, this.at(offer.startOn, 9, this.prng.int(0, 240)));
      const startAt = Math.max(this.at(offer.startOn, 16, this.prng.int(0, 120)), this.now() + 30 * MINUTE);
      this.schedule(startAt, 'package start', () => this.startPackage(user, offer.packageId, offer.startOn));
    }
  }

  private async startPackage(user: string, packageId: string, startOn: LondonDate) {
    const startedOn = londonDate(this.clock.now()) < startOn ? londonDate(this.clock.now()) : startOn;
    const r = await this.post(user, `/api/home-care/packages/${packageId}/start`, { startedOn });
    if (r.status !== 200) return;
    this.stats.packagesStarted++;
    this.schedule(this.daytime(this.now() + this.prng.int(10, 28) * DAY), 'package end', async () => {
      const outcome = this.prng.weighted([
        ['no-ongoing-needs', 6],
        ['reduced-package', 2],
        ['long-term-package', 2],
      ] as const);
      const ended = await this.post(user, `/api/home-care/packages/${packageId}/end`, {
        outcome,
        endedOn: londonDate(this.clock.now()),
      });
      if (ended.status === 200) this.stats.packagesEnded++;
    });
  }

  // ─── Beds and sites ─────────────────────────────────────────────────────────────────────────────────

  private async leaveBed(pathway: Pathway, bedId: string) {
    const outcome =
      pathway === 3
        ? this.prng.pick(['long-term-care', 'long-term-care', 'home-with-care'])
        : this.prng.weighted([
            ['home', 5],
            ['home-with-care', 3],
            ['long-term-care', 1],
            ['hospital', 1],
          ] as const);
    const r = await this.post(this.hubUser, `/api/bed-base/beds/${bedId}/leave`, { outcome });
    if (r.status === 200) this.stats.bedsLeft++;
  }

  private async closeABed() {
    const beds = (await this.get(this.hubUser, '/api/bed-base/beds?status=open')).body as { bedId: string }[];
    if (!Array.isArray(beds) || beds.length === 0) return;
    const bedId = this.prng.pick([...beds].sort((a, b) => a.bedId.localeCompare(b.bedId))).bedId;
    const r = await this.post(this.hubUser, `/api/bed-base/beds/${bedId}/close`, { reason: this.prng.pick(BED_CLOSURE_REASONS) });
    if (r.status !== 200) return;
    this.stats.bedClosures++;
    this.in(this.prng.int(12 * 60, 36 * 60), 'bed reopens', async () => {
      const reopened = await this.post(this.hubUser, `/api/bed-base/beds/${bedId}/reopen`, {});
      if (reopened.status === 200) this.stats.bedReopenings++;
    });
  }

  /** A care home has an outbreak: closed to admissions, reopened a day and a half to two and a half days later. */
  private async outbreak() {
    const sites = (await this.get(this.hubUser, '/api/bed-base/sites')).body as {
      siteId: string;
      kind: string;
      closedToAdmissions: unknown;
    }[];
    const homes = sites
      .filter((s) => s.kind === 'care-home' && !s.closedToAdmissions)
      .sort((a, b) => a.siteId.localeCompare(b.siteId));
    if (homes.length === 0) return;
    const siteId = this.prng.pick(homes).siteId;
    const r = await this.post(this.hubUser, `/api/bed-base/sites/${siteId}/close`, { reason: 'outbreak' });
    if (r.status !== 200) return;
    this.stats.siteClosures++;
    this.in(this.prng.int(36 * 60, 60 * 60), 'site reopens', async () => {
      const reopened = await this.post(this.hubUser, `/api/bed-base/sites/${siteId}/reopen`, {});
      if (reopened.status === 200) this.stats.siteReopenings++;
    });
  }

  // ─── Community referrals (step-up and end of life) ──────────────────────────────────────────────────

  /**
   * Step-up (admission avoidance) and end-of-life referrals, when the app serves `/api/community-referrals`:
   * the hub records the referral, triages it to support at home (a package through the same ledger) or a bed
   * (a request on the same bed board), records the first face-to-face response, and starts and ends care
   * once the bed is reserved or the package accepted. Undefined when the API is absent (e.g. a deployable
   * without that context), so the rest of the demo still plays.
   */
  private async communityReferralsHook(): Promise<((at: number) => Promise<void>) | undefined> {
    const probe = await this.get(this.hubUser, '/api/community-referrals');
    if (probe.status !== 200) return undefined;
    return () => this.communityReferral();
  }

  private async communityReferral() {
    const kind = this.prng.chance(0.7) ? 'step-up' : 'end-of-life';
    const area = this.prng.pick(this.referenceData.areas).code;
    const today = londonDate(this.clock.now());
    const person = this.people.person(area, today, this.prng.weighted(AGE_BANDS));
    const urgent = this.prng.chance(kind === 'step-up' ? 0.6 : 0.3);
    const needs = this.needsFor(1, kind === 'end-of-life' ? 'end-of-life' : null, this.prng.pick([7, 10, 14]));
    const r = await this.post(this.hubUser, '/api/community-referrals', {
      patient: person,
      kind,
      source: kind === 'step-up' ? this.prng.pick(['gp', 'rapid-response', 'community-team']) : this.prng.pick(['hospice', 'gp']),
      referrerOrganisation: `ZZG${this.prng.int(100, 999)}`,
      area,
      urgency: urgent ? 'urgent' : 'routine',
      needs,
    });
    if (r.status !== 201) return;
    this.stats.communityReferrals++;
    const referral: SimReferral = {
      referralId: r.body.referralId,
      kind,
      packageId: null,
      setting: null,
      started: false,
      arranged: false,
    };
    this.referrals.set(referral.referralId, referral);
    const base = `/api/community-referrals/${referral.referralId}`;
    // Urgent: a face-to-face response, mostly within the 2-hour service level.
    const respondIn = urgent
      ? this.prng.weighted([
          [this.prng.int(30, 110), 8],
          [this.prng.int(125, 200), 2],
        ] as const)
      : this.prng.int(180, 900);
    this.in(respondIn, 'community first response', async () => {
      if (referral.setting === 'signposted') return;
      await this.post(this.hubUser, `${base}/first-response`, { respondedAt: this.clock.now().toISOString() });
    });
    this.in(this.prng.int(20, 90), 'community triage', async () => {
      const answerable = this.providers.some((p) => p.localities.includes(area) && this.providerUsers.has(p.providerId));
      const roll = this.prng.next();
      let triage: Record<string, unknown>;
      if (kind === 'end-of-life') {
        triage =
          roll < 0.5
            ? { outcome: 'bed', reason: 'preferred-place-of-care-bed', bedCategory: 'end-of-life' }
            : {
                outcome: 'support-at-home',
                reason: 'preferred-place-of-care-home',
                hoursPerWeek: answerable ? needs.careHoursPerWeek : 0,
              };
      } else if (roll < 0.65) {
        triage = {
          outcome: 'support-at-home',
          reason: 'reablement-at-home',
          hoursPerWeek: answerable ? needs.careHoursPerWeek : 0,
        };
      } else if (roll < 0.85) {
        triage = { outcome: 'bed', reason: 'unsafe-at-home', bedCategory: 'step-down' };
      } else {
        triage = { outcome: 'signposted', reason: this.prng.pick(['primary-care', 'voluntary-sector']) };
      }
      const triaged = await this.post(this.hubUser, `${base}/triage`, triage);
      if (triaged.status !== 200) return;
      if (triage.outcome === 'signposted') referral.setting = 'signposted';
      if (triage.outcome === 'bed') referral.setting = 'bed';
      else if (triage.outcome === 'support-at-home') {
        referral.setting = 'home';
        // No package needed (therapy or nursing at home only): care starts within hours.
        if (triage.hoursPerWeek === 0) {
          referral.arranged = true;
          this.in(this.prng.int(60, 240), 'community care starts', () => this.startCommunityCare(referral));
        }
      }
    });
  }

  /** The bed is reserved or the package accepted: care starts (a bed start is also the bed's admission). */
  private communityCareArranged(referral: SimReferral, startAt: number) {
    if (referral.arranged) return;
    referral.arranged = true;
    this.schedule(Math.max(startAt, this.now() + 30 * MINUTE), 'community care starts', () => this.startCommunityCare(referral));
  }

  private async startCommunityCare(referral: SimReferral) {
    if (referral.started) return;
    const base = `/api/community-referrals/${referral.referralId}`;
    const r = await this.post(this.hubUser, `${base}/start`, { startedAt: this.clock.now().toISOString() });
    if (r.status !== 200) return;
    referral.started = true;
    const days = referral.kind === 'end-of-life' ? this.prng.int(3, 14) : this.prng.int(5, 21);
    this.schedule(this.daytime(this.now() + days * DAY), 'community care ends', async () => {
      const outcome =
        referral.kind === 'end-of-life'
          ? 'died'
          : this.prng.weighted([
              ['admission-avoided', 8],
              ['admitted-to-hospital', 1],
              ['long-term-care', 1],
            ] as const);
      await this.post(this.hubUser, `${base}/end`, { outcome, endedOn: londonDate(this.clock.now()) });
    });
  }

  // ─── HTTP, settling and logs ────────────────────────────────────────────────────────────────────────

  private async authorization(userId: string): Promise<string> {
    const held = this.tokens.get(userId);
    // Tokens last 8 real hours; a long demo renews them well before.
    if (held && Date.now() - held.issuedAt < 4 * 3_600_000) return `Bearer ${held.token}`;
    const response = await this.app.inject({ method: 'POST', url: '/auth/dev/token', payload: { userId } });
    if (response.statusCode !== 200) throw new Error(`No demo token for ${userId} (${response.statusCode})`);
    this.tokens.set(userId, { token: response.json().access_token, issuedAt: Date.now() });
    return `Bearer ${response.json().access_token}`;
  }

  private async get(user: string, url: string): Promise<Reply> {
    // A view is a moment behind a write: read it only once everything written so far has been handled.
    await this.settle();
    const response = await this.app.inject({ method: 'GET', url, headers: { authorization: await this.authorization(user) } });
    if (response.statusCode >= 500) throw new Error(`GET ${routeShape(url)} failed with ${response.statusCode}`);
    return { status: response.statusCode, body: response.body ? response.json() : undefined };
  }

  private async post(user: string, url: string, payload: object): Promise<Reply> {
    // A key per command, from the seed: ids the app derives from it (cases, offers, reservations) repeat too.
    const key = `demo-s${this.seed}-${++this.keySeq}`;
    const response = await this.app.inject({
      method: 'POST',
      url,
      payload,
      headers: { authorization: await this.authorization(user), 'idempotency-key': key },
    });
    this.trace.push(`${user} POST ${routeShape(url)} -> ${response.statusCode}`);
    if (response.statusCode >= 500) throw new Error(`POST ${routeShape(url)} failed with ${response.statusCode}`);
    if (response.statusCode >= 400) this.stats.refusals++;
    return { status: response.statusCode, body: response.body ? response.json() : undefined };
  }

  /** Until relays, process managers and projections have handled everything, including what they wrote. */
  async settle(): Promise<void> {
    const store = this.app.get<EventStore>(EVENT_STORE, { strict: false });
    const messaging = this.app.get(MessagingLifecycle, { strict: false });
    const projections = this.app.get(ProjectionRegistry, { strict: false });
    let last = await store.headPosition();
    let stable = 0;
    for (let round = 0; round < 500 && stable < 2; round++) {
      await new Promise((resolve) => setImmediate(resolve));
      await messaging.drained();
      for (const live of projections.all()) {
        for (let i = 0; i < 1000; i++) {
          const behind = await store.readAll({
            after: live.current().position,
            categories: live.projection.categories,
            maxCount: 1,
          });
          if (behind.length === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      }
      const head = await store.headPosition();
      if (head === last) stable++;
      else {
        stable = 0;
        last = head;
      }
    }
  }

  private logHourIfDue() {
    const hour = Math.floor(this.now() / HOUR);
    if (hour <= this.lastLoggedHour) return;
    this.lastLoggedHour = hour;
    const s = this.stats;
    const d = this.hourMark;
    const delta = (a: number, b: number) => (a - b > 0 ? `+${a - b}` : '0');
    const sum = (r: Record<Pathway, number>) => r[0] + r[1] + r[2] + r[3];
    const open = [...this.cases.values()].filter((c) => this.isOpen(c)).length;
    const when = londonDateTimeParts(this.clock.now());
    const stamp = `${londonDate(this.clock.now())} ${String(when.hour).padStart(2, '0')}:00`;
    this.log(
      `[sim ${stamp}] referrals ${delta(s.referrals, d.referrals)} (total ${s.referrals}) · ` +
        `discharges ${delta(sum(s.discharges), sum(d.discharges))} (P0 ${s.discharges[0]}, P1 ${s.discharges[1]}, P2 ${s.discharges[2]}, P3 ${s.discharges[3]}) · ` +
        `open cases ${open} · reservations ${s.reservations} · offers ${s.offers} (accepted ${s.offersAccepted}, declined ${s.offersDeclined}) · ` +
        `capacity returns ${s.capacityReturns} · delays ${s.delaysOpened} · DRD resets ${s.drdResets} · ` +
        `bed closures ${s.bedClosures} · site closures ${s.siteClosures}`,
    );
    this.hourMark = structuredClone(s);
  }

  private sortedCases(): SimCase[] {
    return [...this.cases.values()].filter((c) => this.isOpen(c));
  }

  private isOpen(c: SimCase): boolean {
    return c.status === 'referred' || c.status === 'accepted';
  }

  private now(): number {
    return this.clock.now().getTime();
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
