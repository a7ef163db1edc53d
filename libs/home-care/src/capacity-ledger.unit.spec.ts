import {
  CommandRunner,
  DomainRefusal,
  SqliteEventStore,
  WrongExpectedRevision,
  type Actor,
  type RefusalKind,
} from '@app/event-sourcing';
import { specFor } from '@app/event-sourcing/testing/decider-spec';
import {
  capacityLedgerDecider,
  freeHours,
  freePackages,
  ledgerIdOf,
  ledgerKeyOf,
  ledgerStreamOf,
  ledgerTotals,
  type CapacityLedger,
  type CapacityLedgerCommand,
  type CapacityLedgerEvent,
} from './capacity-ledger';
import {
  admin,
  capacityDeclared,
  commitHours,
  declareCapacity,
  holdHours,
  hoursCommitted,
  hoursHeld,
  hoursReleased,
  hub,
  key,
  leader,
  NOW,
  otherProviderUser,
  providerUser,
  releaseHours,
  system,
  TODAY,
  ward,
} from './testing/builders';

const given = specFor(capacityLedgerDecider);
const refused =
  (code: string, kind?: RefusalKind) =>
  (error: DomainRefusal): void =>
    expect(error).toMatchObject(kind ? { code, kind } : { code });

const roles = (...actors: Actor[]) => actors.map((actor) => [actor.role, actor] as const);
const fold = (events: readonly CapacityLedgerEvent[]): CapacityLedger =>
  events.reduce(capacityLedgerDecider.evolve, capacityLedgerDecider.initialState());
const decide = (command: CapacityLedgerCommand, state: CapacityLedger): CapacityLedgerEvent[] => {
  const decided = capacityLedgerDecider.decide(command, state);
  return Array.isArray(decided) ? decided : [decided];
};

const declared = capacityDeclared({ hoursPerWeek: 40, newPackages: 3 });

describe('CapacityLedger', () => {
  describe('its stream id', () => {
    it('is capacityLedger-<provider>.<LOCALITY>.<date>, with the locality underscores made hyphens for the stream-id rules', () => {
      const k = key({ locality: 'SOMERSET_WEST_AND_TAUNTON' });
      expect(ledgerStreamOf(k)).toBe('capacityLedger-PRV-MENDIP-CARE.SOMERSET-WEST-AND-TAUNTON.2026-11-23');
      expect(ledgerStreamOf(k)).toMatch(/^[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9._:-]+)?$/);
      expect(ledgerKeyOf(ledgerIdOf(k))).toEqual(k);
    });
  });

  describe('declaring capacity (the daily return is the declared figure, on the ledger itself)', () => {
    it('records a provider’s return for its own locality and date', () =>
      given().when(declareCapacity()).then(capacityDeclared()));

    it('records the staffing and its absence percentage, unflagged at 10% or less', () =>
      given()
        .when(declareCapacity({ staffing: { careWorkersRostered: 40, careWorkersAbsent: 4 } }))
        .then(
          capacityDeclared({
            staffing: { careWorkersRostered: 40, careWorkersAbsent: 4 },
            workforceAbsencePercent: 10,
            workforceAtRisk: false,
          }),
        ));

    it('flags the provider when more than 10% of its workforce is absent', () =>
      given()
        .when(declareCapacity({ staffing: { careWorkersRostered: 40, careWorkersAbsent: 5 } }))
        .then(
          capacityDeclared({
            staffing: { careWorkersRostered: 40, careWorkersAbsent: 5 },
            workforceAbsencePercent: 12.5,
            workforceAtRisk: true,
          }),
        ));

    it('records a same-day correction that supersedes the earlier return, and keeps the history', () => {
      given(declared)
        .when(declareCapacity({ hoursPerWeek: 30, newPackages: 2 }))
        .then(capacityDeclared({ hoursPerWeek: 30, newPackages: 2, returnNumber: 2, supersedes: 1 }));
      const state = fold([declared, capacityDeclared({ hoursPerWeek: 30, newPackages: 2, returnNumber: 2, supersedes: 1 })]);
      expect(state.returns.map((r) => r.hoursPerWeek)).toEqual([40, 30]);
      expect(freeHours(state)).toBe(30);
    });

    it('records a correction below what is already held and committed, with the shortfall', () =>
      given(declared, hoursHeld({ hours: 14 }), hoursHeld({ holdId: 'offer-2', hours: 14 }), hoursCommitted())
        .when(declareCapacity({ hoursPerWeek: 20, newPackages: 1 }))
        .then(
          capacityDeclared({
            hoursPerWeek: 20,
            newPackages: 1,
            returnNumber: 2,
            supersedes: 1,
            shortfall: { hours: 8, packages: 1 },
          }),
        ));

    it('lets the hub post a return on a provider’s behalf', () =>
      given()
        .when(declareCapacity({ by: hub }))
        .then(capacityDeclared()));

    it('accepts a return up to 14 days ahead', () =>
      given()
        .when(declareCapacity({ date: '2026-12-07' }))
        .then(capacityDeclared({ date: '2026-12-07', ledgerId: ledgerIdOf(key({ date: '2026-12-07' })) })));

    it('refuses a return for the past, saying so', () =>
      given()
        .when(declareCapacity({ date: '2026-11-22' }))
        .thenThrows(DomainRefusal, (error) => {
          expect(error).toMatchObject({ code: 'CAPACITY_DATE_IN_PAST', kind: 'unprocessable' });
          expect(error.message).toContain('in the past');
        }));

    it('refuses a return more than 14 days ahead, saying how far it may go', () =>
      given()
        .when(declareCapacity({ date: '2026-12-08' }))
        .thenThrows(DomainRefusal, (error) => {
          expect(error).toMatchObject({ code: 'CAPACITY_DATE_TOO_FAR_AHEAD' });
          expect(error.message).toContain('2026-12-07');
        }));

    it('judges "today" in London: 23:30 UTC on a BST evening is already tomorrow', () =>
      given()
        .when(declareCapacity({ date: '2026-07-01', at: '2026-06-30T23:30:00.000Z' }))
        .then(
          capacityDeclared({
            date: '2026-07-01',
            ledgerId: ledgerIdOf(key({ date: '2026-07-01' })),
            declaredAt: '2026-06-30T23:30:00.000Z',
          }),
        ));

    it('refuses a provider user declaring for another provider (403)', () =>
      given()
        .when(declareCapacity({ by: otherProviderUser }))
        .thenThrows(DomainRefusal, refused('OUT_OF_SCOPE', 'forbidden')));

    it.each(roles(ward, leader, admin, system))('refuses a %s user (403)', (_role, by) =>
      given().when(declareCapacity({ by })).thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')),
    );

    it.each([
      [{ hoursPerWeek: -1 }, 'INVALID_HOURS'],
      [{ newPackages: 1.5 }, 'INVALID_NUMBER'],
      [{ staffing: { careWorkersRostered: 3, careWorkersAbsent: 4 } }, 'ABSENT_EXCEEDS_ROSTERED'],
      [{ locality: 'Mendip' }, 'INVALID_LOCALITY'],
      [{ date: '23/11/2026' }, 'INVALID_DATE'],
    ])('refuses %o with %s', (data, code) =>
      given()
        .when(declareCapacity(data as never))
        .thenThrows(DomainRefusal, refused(code)),
    );
  });

  describe('holding hours for an offer', () => {
    it('holds free hours and one new-package place', () => given(declared).when(holdHours()).then(hoursHeld()));

    it('refuses when the hours are not free (409), naming what is free', () =>
      given(declared, hoursHeld({ hours: 30 }))
        .when(holdHours({ holdId: 'offer-2', hours: 14 }))
        .thenThrows(DomainRefusal, (error) => {
          expect(error).toMatchObject({ code: 'CAPACITY_NOT_FREE', kind: 'conflict' });
          expect(error.details).toEqual({ freeHours: 10, freePackages: 2, requestedHours: 14 });
        }));

    it('refuses when no new-package place is free, whatever the hours', () =>
      given(capacityDeclared({ hoursPerWeek: 100, newPackages: 1 }), hoursHeld({ hours: 5 }))
        .when(holdHours({ holdId: 'offer-2', hours: 5 }))
        .thenThrows(DomainRefusal, refused('CAPACITY_NOT_FREE', 'conflict')));

    it('refuses against a ledger with no return at all', () =>
      given()
        .when(holdHours())
        .thenThrows(DomainRefusal, (error) => expect(error.message).toContain('no capacity')));

    it('lets the hub override with a coded reason, and records what was free', () =>
      given(declared, hoursHeld({ hours: 30 }))
        .when(holdHours({ holdId: 'offer-2', hours: 14, override: { reason: 'urgent-discharge' } }))
        .then(
          hoursHeld({
            holdId: 'offer-2',
            hours: 14,
            override: { reason: 'urgent-discharge', freeHoursBefore: 10, freePackagesBefore: 2 },
          }),
        ));

    it('records no override when the hours were free anyway', () =>
      given(declared)
        .when(holdHours({ override: { reason: 'urgent-discharge' } }))
        .then(hoursHeld()));

    it('refuses an override without a known coded reason', () =>
      given(declared, hoursHeld({ hours: 40 }))
        .when(holdHours({ holdId: 'offer-2', override: { reason: 'because' as never } }))
        .thenThrows(DomainRefusal, refused('UNKNOWN_OVERRIDE_REASON')));

    it('refuses an override from a process manager: only a person at the hub overrides (403)', () =>
      given(declared, hoursHeld({ hours: 40 }))
        .when(holdHours({ by: system, holdId: 'offer-2', override: { reason: 'urgent-discharge' } }))
        .thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')));

    it.each(roles(providerUser, ward, leader, admin))('refuses a hold by a %s user (403)', (_role, by) =>
      given(declared).when(holdHours({ by })).thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')),
    );

    it('decides nothing for the same hold again (a retried offer)', () =>
      given(declared, hoursHeld()).when(holdHours()).thenNothingHappens());

    it('refuses a hold id reused for another package', () =>
      given(declared, hoursHeld())
        .when(holdHours({ packageId: 'another-package' }))
        .thenThrows(DomainRefusal, refused('HOLD_EXISTS', 'conflict')));

    it('refuses a hold for a start date in the past', () =>
      given(capacityDeclared())
        .when(holdHours({ at: '2026-11-24T09:00:00.000Z' }))
        .thenThrows(DomainRefusal, refused('HOLD_DATE_IN_PAST')));
  });

  describe('committing and releasing', () => {
    it('commits the held hours on acceptance', () => given(declared, hoursHeld()).when(commitHours()).then(hoursCommitted()));

    it('lets the provider commit its own hold, never another provider’s', () => {
      given(declared, hoursHeld())
        .when(commitHours({ by: providerUser }))
        .then(hoursCommitted());
      given(declared, hoursHeld())
        .when(commitHours({ by: otherProviderUser }))
        .thenThrows(DomainRefusal, refused('OUT_OF_SCOPE', 'forbidden'));
    });

    it('decides nothing for a repeated commit', () =>
      given(declared, hoursHeld(), hoursCommitted()).when(commitHours()).thenNothingHappens());

    it('retakes the hours when the hold lapsed before the acceptance reached the ledger', () =>
      given(declared, hoursHeld(), hoursReleased({ reason: 'hold-lapsed' }))
        .when(commitHours())
        .then(hoursCommitted({ retaken: true })));

    it('refuses to commit a hold it never had', () =>
      given(declared).when(commitHours()).thenThrows(DomainRefusal, refused('HOLD_NOT_FOUND', 'not_found')));

    it.each([
      'offer-declined',
      'offer-expired',
      'offer-withdrawn',
      'offer-not-recorded',
      'hold-lapsed',
      'package-cancelled',
    ] as const)('releases held hours for %s', (reason) =>
      given(declared, hoursHeld()).when(releaseHours({ reason })).then(hoursReleased({ reason })),
    );

    it('releases committed hours when the package is cancelled', () =>
      given(declared, hoursHeld(), hoursCommitted())
        .when(releaseHours({ reason: 'package-cancelled' }))
        .then(hoursReleased({ reason: 'package-cancelled', from: 'committed' })));

    it('keeps committed hours against a late expiry or lapse: only a cancellation undoes an acceptance', () => {
      given(declared, hoursHeld(), hoursCommitted())
        .when(releaseHours({ reason: 'offer-expired' }))
        .thenNothingHappens();
      given(declared, hoursHeld(), hoursCommitted())
        .when(releaseHours({ reason: 'hold-lapsed' }))
        .thenNothingHappens();
    });

    it('decides nothing for a release that has nothing left to release', () => {
      given(declared, hoursHeld(), hoursReleased()).when(releaseHours()).thenNothingHappens();
      given(declared).when(releaseHours()).thenNothingHappens();
    });

    it.each(roles(ward, leader, otherProviderUser))('refuses a release by a %s user (403)', (_role, by) =>
      given(declared, hoursHeld())
        .when(releaseHours({ by }))
        .thenThrows(DomainRefusal, (e) => expect(e.kind).toBe('forbidden')),
    );
  });

  describe('free hours, row by row (free = declared − held − committed)', () => {
    type Row = [string, CapacityLedgerCommand, { free: number; held: number; committed: number; packages: number }];
    const rows: Row[] = [
      [
        'declare 40 h, 3 packages',
        declareCapacity({ hoursPerWeek: 40, newPackages: 3 }),
        { free: 40, held: 0, committed: 0, packages: 3 },
      ],
      ['hold A 14 h', holdHours({ holdId: 'A', hours: 14 }), { free: 26, held: 14, committed: 0, packages: 2 }],
      ['hold B 10.5 h', holdHours({ holdId: 'B', hours: 10.5 }), { free: 15.5, held: 24.5, committed: 0, packages: 1 }],
      ['commit A', commitHours({ holdId: 'A' }), { free: 15.5, held: 10.5, committed: 14, packages: 1 }],
      [
        'release B (declined)',
        releaseHours({ holdId: 'B', reason: 'offer-declined' }),
        { free: 26, held: 0, committed: 14, packages: 2 },
      ],
      [
        'correct to 30 h, 2 packages',
        declareCapacity({ hoursPerWeek: 30, newPackages: 2 }),
        { free: 16, held: 0, committed: 14, packages: 1 },
      ],
      [
        'hold C 16 h (exactly the free hours)',
        holdHours({ holdId: 'C', hours: 16 }),
        { free: 0, held: 16, committed: 14, packages: 0 },
      ],
      [
        'hold D 7 h with a hub override',
        holdHours({ holdId: 'D', hours: 7, override: { reason: 'escalation-agreed' } }),
        { free: -7, held: 23, committed: 14, packages: -1 },
      ],
      [
        'release D (expired)',
        releaseHours({ holdId: 'D', reason: 'offer-expired' }),
        { free: 0, held: 16, committed: 14, packages: 0 },
      ],
      [
        'release A (package cancelled after acceptance)',
        releaseHours({ holdId: 'A', reason: 'package-cancelled' }),
        { free: 14, held: 16, committed: 0, packages: 1 },
      ],
      ['commit C', commitHours({ holdId: 'C' }), { free: 14, held: 0, committed: 16, packages: 1 }],
      ['repeat commit C (decides nothing)', commitHours({ holdId: 'C' }), { free: 14, held: 0, committed: 16, packages: 1 }],
    ];

    // One ledger through every row, in order: each row decides on the events of the rows before it.
    const history: CapacityLedgerEvent[] = [];
    it.each(rows)('%s', (_label, command, expected) => {
      history.push(...decide(command, fold(history)));
      const state = fold(history);
      const totals = ledgerTotals(state);
      expect({
        free: totals.freeHours,
        held: totals.heldHours,
        committed: totals.committedHours,
        packages: totals.freePackages,
      }).toEqual(expected);
      expect(freeHours(state)).toBe(expected.free);
      expect(freePackages(state)).toBe(expected.packages);
    });
  });

  describe('two offers racing for the last free hours', () => {
    const lastHours = [capacityDeclared({ hoursPerWeek: 20, newPackages: 2 }), hoursHeld({ holdId: 'earlier', hours: 6 })];
    const first = holdHours({ holdId: 'offer-A', hours: 14 });
    const second = holdHours({ holdId: 'offer-B', hours: 14 });

    it('both fit the same stale state, which is why the ledger is written with an expected revision', () => {
      const state = fold(lastHours);
      expect(decide(first, state)).toHaveLength(1);
      expect(decide(second, state)).toHaveLength(1);
    });

    it('the second, re-decided after the first was appended, is refused', () => {
      const afterFirst = fold([...lastHours, ...decide(first, fold(lastHours))]);
      expect(() => decide(second, afterFirst)).toThrow(expect.objectContaining({ code: 'CAPACITY_NOT_FREE' }));
    });

    it('through the runner against a real store, exactly one of two concurrent holds gets the hours', async () => {
      const store = new SqliteEventStore({ filename: ':memory:' });
      const runner = new CommandRunner(store);
      const stream = ledgerStreamOf(key());
      await runner.run(capacityLedgerDecider, stream, declareCapacity({ hoursPerWeek: 20, newPackages: 2 }));
      await runner.run(capacityLedgerDecider, stream, {
        ...holdHours({ holdId: 'earlier', hours: 6 }),
        metadata: { ...first.metadata, commandId: 'c-0' },
      });
      const results = await Promise.allSettled([
        runner.run(
          capacityLedgerDecider,
          stream,
          { ...first, metadata: { ...first.metadata, commandId: 'c-A' } },
          { retries: 3 },
        ),
        runner.run(
          capacityLedgerDecider,
          stream,
          { ...second, metadata: { ...second.metadata, commandId: 'c-B' } },
          { retries: 3 },
        ),
      ]);
      const fulfilled = results.filter((r) => r.status === 'fulfilled');
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(fulfilled).toHaveLength(1);
      expect(rejected).toHaveLength(1);
      expect(rejected[0].reason).toMatchObject({ code: 'CAPACITY_NOT_FREE' });
      const { state } = await runner.load(capacityLedgerDecider, stream);
      expect(freeHours(state)).toBe(0);
      await store.close();
    });

    it('a person who sent If-Match with the stale revision gets a conflict, not a silent re-decision', async () => {
      const store = new SqliteEventStore({ filename: ':memory:' });
      const runner = new CommandRunner(store);
      const stream = ledgerStreamOf(key());
      await runner.run(capacityLedgerDecider, stream, declareCapacity({ hoursPerWeek: 20, newPackages: 2 }));
      await runner.run(capacityLedgerDecider, stream, { ...first, metadata: { ...first.metadata, commandId: 'c-A' } });
      await expect(
        runner.run(
          capacityLedgerDecider,
          stream,
          { ...second, metadata: { ...second.metadata, commandId: 'c-B' } },
          { expectedRevision: 0 },
        ),
      ).rejects.toBeInstanceOf(WrongExpectedRevision);
      await store.close();
    });
  });

  it('uses NOW and TODAY consistently', () => expect(NOW.startsWith(TODAY)).toBe(true));
});
