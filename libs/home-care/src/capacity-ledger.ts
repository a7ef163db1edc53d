import { assertNever, type Command, type Decider, type DomainEvent } from '@app/event-sourcing';
import { londonDaysBetween, type LondonDate } from '@app/time';
import {
  assertActsFor,
  assertDate,
  assertHours,
  assertInstant,
  assertLocality,
  assertProviderId,
  assertRole,
  assertWholeNumber,
  CAPACITY_HORIZON_DAYS,
  lastDeclarableDate,
  oneOf,
  refuse,
  today,
} from './common';
import { isWorkforceAtRisk, workforceAbsencePercent, type Staffing } from './workforce';

/**
 * One capacity ledger per provider, locality and date. The provider's daily capacity return is recorded on
 * the ledger stream itself (`CapacityDeclared`), so the declared figure and the hours held and committed
 * against it live in one aggregate and one expected revision guards "free = declared − held − committed".
 * A later return for the same date is a correction: it supersedes the earlier one, which stays in history.
 */

export const OVERRIDE_REASONS = [
  'urgent-discharge',
  'provider-confirmed-by-phone',
  'escalation-agreed',
  'end-of-life-fast-track',
] as const;
export type OverrideReason = (typeof OVERRIDE_REASONS)[number];

export const RELEASE_REASONS = [
  'offer-declined',
  'offer-expired',
  'offer-withdrawn',
  /** The package stream refused the offer after the hold was taken: the orchestration undoes the hold. */
  'offer-not-recorded',
  /** A hold whose offer was never recorded (a crash between the two steps) lapses after its grace period. */
  'hold-lapsed',
  'package-cancelled',
] as const;
export type ReleaseReason = (typeof RELEASE_REASONS)[number];

/** Only a cancellation undoes an accepted package's committed hours; every other reason releases a hold only. */
const RELEASES_COMMITTED: readonly ReleaseReason[] = ['package-cancelled'];

export interface LedgerKey {
  providerId: string;
  locality: string;
  date: LondonDate;
}

/**
 * `capacityLedger-<provider>.<LOCALITY>.<date>`. Stream ids allow no underscore, so the locality's
 * underscores become hyphens (SOUTH_SOMERSET → SOUTH-SOMERSET); locality codes never hold a hyphen and
 * provider ids never a dot, so the id reads back unambiguously with {@link ledgerKeyOf}.
 */
export const ledgerIdOf = ({ providerId, locality, date }: LedgerKey): string =>
  `${providerId}.${locality.replace(/_/g, '-')}.${date}`;
export const ledgerStreamOf = (key: LedgerKey): string => `capacityLedger-${ledgerIdOf(key)}`;
export const ledgerKeyOf = (ledgerId: string): LedgerKey => {
  const [providerId, locality, date] = ledgerId.split('.');
  return { providerId, locality: locality.replace(/-/g, '_'), date };
};

// ─── Events ─────────────────────────────────────────────────────────────────────────────────────────────

export type CapacityDeclared = DomainEvent<
  'CapacityDeclared',
  LedgerKey & {
    ledgerId: string;
    /** 1 for the first return for this date; each correction counts on. */
    returnNumber: number;
    /** The return this one corrects, or null for the first. */
    supersedes: number | null;
    /** New care hours a week the provider can start on this date. */
    hoursPerWeek: number;
    /** New packages the provider can take on this date. */
    newPackages: number;
    staffing: Staffing | null;
    workforceAbsencePercent: number | null;
    /** More than 10% of the care workers rostered are absent (the source's risk point). */
    workforceAtRisk: boolean;
    /** Held and committed already exceed the corrected figure: hours and packages short. */
    shortfall: { hours: number; packages: number } | null;
    declaredAt: string;
  }
>;
export type HoursHeld = DomainEvent<
  'HoursHeld',
  LedgerKey & {
    ledgerId: string;
    /** The offer id: one hold per offer. */
    holdId: string;
    packageId: string;
    hours: number;
    expiresAt: string;
    /** Set when the hub held hours that were not free. */
    override: { reason: OverrideReason; freeHoursBefore: number; freePackagesBefore: number } | null;
    heldAt: string;
  }
>;
export type HoursCommitted = DomainEvent<
  'HoursCommitted',
  LedgerKey & {
    ledgerId: string;
    holdId: string;
    packageId: string;
    hours: number;
    /** True when the hold had already lapsed or been released: the acceptance is authoritative and retakes the hours. */
    retaken: boolean;
    committedAt: string;
  }
>;
export type HoursReleased = DomainEvent<
  'HoursReleased',
  LedgerKey & {
    ledgerId: string;
    holdId: string;
    packageId: string;
    hours: number;
    from: 'held' | 'committed';
    reason: ReleaseReason;
    releasedAt: string;
  }
>;

export type CapacityLedgerEvent = CapacityDeclared | HoursHeld | HoursCommitted | HoursReleased;

// ─── Commands ───────────────────────────────────────────────────────────────────────────────────────────

export type DeclareCapacity = Command<
  'DeclareCapacity',
  LedgerKey & { hoursPerWeek: number; newPackages: number; staffing?: Staffing }
>;
export type HoldHours = Command<
  'HoldHours',
  LedgerKey & { holdId: string; packageId: string; hours: number; expiresAt: string; override?: { reason: OverrideReason } }
>;
export type CommitHours = Command<'CommitHours', LedgerKey & { holdId: string }>;
export type ReleaseHours = Command<'ReleaseHours', LedgerKey & { holdId: string; reason: ReleaseReason }>;

export type CapacityLedgerCommand = DeclareCapacity | HoldHours | CommitHours | ReleaseHours;

// ─── State ──────────────────────────────────────────────────────────────────────────────────────────────

export interface CapacityReturn {
  returnNumber: number;
  hoursPerWeek: number;
  newPackages: number;
  staffing: Staffing | null;
  declaredAt: string;
}

export interface Hold {
  holdId: string;
  packageId: string;
  hours: number;
  expiresAt: string;
  status: 'held' | 'committed' | 'released';
  overridden: boolean;
}

export interface CapacityLedger {
  key: LedgerKey | null;
  /** Every return for the date, oldest first; the last one is in force. */
  returns: readonly CapacityReturn[];
  holds: Readonly<Record<string, Hold>>;
}

export const initialCapacityLedger = (): CapacityLedger => ({ key: null, returns: [], holds: {} });

export const currentReturn = (state: CapacityLedger): CapacityReturn | undefined => state.returns[state.returns.length - 1];

const sum = (state: CapacityLedger, status: Hold['status'], of: (hold: Hold) => number) =>
  Object.values(state.holds)
    .filter((hold) => hold.status === status)
    .reduce((total, hold) => total + of(hold), 0);

/** The figures the views show. Free may go below zero after a hub override or a return corrected downwards. */
export const ledgerTotals = (state: CapacityLedger) => {
  const declared = currentReturn(state);
  const declaredHours = declared?.hoursPerWeek ?? 0;
  const declaredPackages = declared?.newPackages ?? 0;
  const heldHours = sum(state, 'held', (h) => h.hours);
  const committedHours = sum(state, 'committed', (h) => h.hours);
  const heldPackages = sum(state, 'held', () => 1);
  const committedPackages = sum(state, 'committed', () => 1);
  return {
    declaredHours,
    heldHours,
    committedHours,
    freeHours: round2(declaredHours - heldHours - committedHours),
    declaredPackages,
    heldPackages,
    committedPackages,
    freePackages: declaredPackages - heldPackages - committedPackages,
  };
};

/** free = declared − held − committed. */
export const freeHours = (state: CapacityLedger): number => ledgerTotals(state).freeHours;
export const freePackages = (state: CapacityLedger): number => ledgerTotals(state).freePackages;

const round2 = (value: number) => Math.round(value * 100) / 100;

const keyOf = (data: LedgerKey): LedgerKey => ({ providerId: data.providerId, locality: data.locality, date: data.date });

export const evolveCapacityLedger = (state: CapacityLedger, event: CapacityLedgerEvent): CapacityLedger => {
  const key = state.key ?? keyOf(event.data);
  switch (event.type) {
    case 'CapacityDeclared': {
      const { returnNumber, hoursPerWeek, newPackages, staffing, declaredAt } = event.data;
      return { ...state, key, returns: [...state.returns, { returnNumber, hoursPerWeek, newPackages, staffing, declaredAt }] };
    }
    case 'HoursHeld': {
      const { holdId, packageId, hours, expiresAt, override } = event.data;
      return {
        ...state,
        key,
        holds: {
          ...state.holds,
          [holdId]: { holdId, packageId, hours, expiresAt, status: 'held', overridden: override !== null },
        },
      };
    }
    case 'HoursCommitted':
    case 'HoursReleased': {
      const hold = state.holds[event.data.holdId];
      if (!hold) return state;
      const status = event.type === 'HoursCommitted' ? 'committed' : 'released';
      return { ...state, key, holds: { ...state.holds, [hold.holdId]: { ...hold, status } } };
    }
    default:
      return assertNever(event);
  }
};

const assertKey = (data: LedgerKey): void => {
  assertProviderId(data.providerId);
  assertLocality(data.locality);
  assertDate(data.date, 'date');
};

const baseOf = (data: LedgerKey) => ({ ...keyOf(data), ledgerId: ledgerIdOf(data) });

export const decideCapacityLedger = (command: CapacityLedgerCommand, state: CapacityLedger): CapacityLedgerEvent[] => {
  const { actor, now } = command.metadata;
  switch (command.type) {
    case 'DeclareCapacity': {
      const data = command.data;
      assertActsFor(actor, data.providerId, ['provider', 'hub'], 'declare capacity');
      assertKey(data);
      if (londonDaysBetween(today(now), data.date) < 0) {
        throw refuse(
          'CAPACITY_DATE_IN_PAST',
          `Capacity cannot be declared for ${data.date}: it is in the past (today is ${today(now)} in London)`,
          'unprocessable',
          { date: data.date, today: today(now) },
        );
      }
      if (londonDaysBetween(lastDeclarableDate(now), data.date) > 0) {
        throw refuse(
          'CAPACITY_DATE_TOO_FAR_AHEAD',
          `Capacity can be declared at most ${CAPACITY_HORIZON_DAYS} days ahead, up to ${lastDeclarableDate(now)}`,
          'unprocessable',
          { date: data.date, lastDate: lastDeclarableDate(now) },
        );
      }
      assertHours(data.hoursPerWeek, 'hoursPerWeek');
      assertWholeNumber(data.newPackages, 'newPackages', 1_000);
      let staffing: Staffing | null = null;
      if (data.staffing !== undefined && data.staffing !== null) {
        const { careWorkersRostered, careWorkersAbsent } = data.staffing;
        assertWholeNumber(careWorkersRostered, 'careWorkersRostered', 100_000);
        assertWholeNumber(careWorkersAbsent, 'careWorkersAbsent', 100_000);
        if (careWorkersAbsent > careWorkersRostered) {
          throw refuse('ABSENT_EXCEEDS_ROSTERED', 'More care workers absent than rostered');
        }
        staffing = { careWorkersRostered, careWorkersAbsent };
      }
      const previous = currentReturn(state);
      const totals = ledgerTotals(state);
      const shortHours = round2(totals.heldHours + totals.committedHours - data.hoursPerWeek);
      const shortPackages = totals.heldPackages + totals.committedPackages - data.newPackages;
      const percent = staffing ? workforceAbsencePercent(staffing) : null;
      return [
        {
          type: 'CapacityDeclared',
          data: {
            ...baseOf(data),
            returnNumber: (previous?.returnNumber ?? 0) + 1,
            supersedes: previous?.returnNumber ?? null,
            hoursPerWeek: data.hoursPerWeek,
            newPackages: data.newPackages,
            staffing,
            workforceAbsencePercent: percent,
            workforceAtRisk: staffing !== null && isWorkforceAtRisk(staffing),
            shortfall:
              shortHours > 0 || shortPackages > 0
                ? { hours: Math.max(0, shortHours), packages: Math.max(0, shortPackages) }
                : null,
            declaredAt: now,
          },
        },
      ];
    }

    case 'HoldHours': {
      const data = command.data;
      assertRole(actor, ['hub', 'system'], 'hold capacity');
      assertKey(data);
      assertHours(data.hours, 'hours', 168);
      assertInstant(data.expiresAt, 'expiresAt');
      const existingHold = state.holds[data.holdId];
      if (existingHold) {
        if (existingHold.packageId === data.packageId && existingHold.hours === data.hours) return [];
        throw refuse('HOLD_EXISTS', `Hold ${data.holdId} already exists for another package or hours`, 'conflict');
      }
      if (londonDaysBetween(today(now), data.date) < 0) {
        throw refuse('HOLD_DATE_IN_PAST', `No package can start on ${data.date}: it is in the past`);
      }
      const totals = ledgerTotals(state);
      const fits = data.hours <= totals.freeHours && totals.freePackages >= 1;
      let override: HoursHeld['data']['override'] = null;
      if (data.override !== undefined) {
        assertRole(actor, ['hub'], 'override declared capacity');
        const reason = oneOf(OVERRIDE_REASONS, data.override.reason, 'UNKNOWN_OVERRIDE_REASON', 'override.reason');
        if (!fits) override = { reason, freeHoursBefore: totals.freeHours, freePackagesBefore: totals.freePackages };
      }
      if (!fits && override === null) {
        throw refuse(
          'CAPACITY_NOT_FREE',
          currentReturn(state)
            ? `Only ${Math.max(0, totals.freeHours)} hours a week and ${Math.max(0, totals.freePackages)} new packages are free`
            : 'The provider has declared no capacity for this locality and date',
          'conflict',
          { freeHours: totals.freeHours, freePackages: totals.freePackages, requestedHours: data.hours },
        );
      }
      return [
        {
          type: 'HoursHeld',
          data: {
            ...baseOf(data),
            holdId: data.holdId,
            packageId: data.packageId,
            hours: data.hours,
            expiresAt: data.expiresAt,
            override,
            heldAt: now,
          },
        },
      ];
    }

    case 'CommitHours': {
      const data = command.data;
      assertActsFor(actor, data.providerId, ['provider', 'hub', 'system'], 'commit capacity');
      assertKey(data);
      const hold = state.holds[data.holdId];
      if (!hold) throw refuse('HOLD_NOT_FOUND', `No hold ${data.holdId} on this ledger`, 'not_found');
      if (hold.status === 'committed') return [];
      return [
        {
          type: 'HoursCommitted',
          data: {
            ...baseOf(data),
            holdId: hold.holdId,
            packageId: hold.packageId,
            hours: hold.hours,
            retaken: hold.status === 'released',
            committedAt: now,
          },
        },
      ];
    }

    case 'ReleaseHours': {
      const data = command.data;
      assertActsFor(actor, data.providerId, ['provider', 'hub', 'system'], 'release capacity');
      assertKey(data);
      const reason = oneOf(RELEASE_REASONS, data.reason, 'UNKNOWN_RELEASE_REASON', 'reason');
      const hold = state.holds[data.holdId];
      // Compensations arrive at least once and in any order with the deadline: nothing left to release decides nothing.
      if (!hold || hold.status === 'released') return [];
      if (hold.status === 'committed' && !RELEASES_COMMITTED.includes(reason)) return [];
      return [
        {
          type: 'HoursReleased',
          data: {
            ...baseOf(data),
            holdId: hold.holdId,
            packageId: hold.packageId,
            hours: hold.hours,
            from: hold.status,
            reason,
            releasedAt: now,
          },
        },
      ];
    }

    default:
      return assertNever(command);
  }
};

export const capacityLedgerDecider: Decider<CapacityLedger, CapacityLedgerCommand, CapacityLedgerEvent> = {
  initialState: initialCapacityLedger,
  evolve: evolveCapacityLedger,
  decide: decideCapacityLedger,
};
