import { DomainRefusal, WrongExpectedRevision, type Command, type RecordedEvent } from '@app/event-sourcing';
import { specFor } from '@app/event-sourcing/testing/decider-spec';
import type { BusEvent } from '@app/messaging';
import {
  caseWithdrawn,
  criteriaToResideMetAgain,
  pathwayAssigned,
  patientDischarged,
  referralSubmitted,
} from '@app/discharge/testing/builders';
import { homeCareCaseDecider, type HomeCareCaseEvent } from './home-care-case';
import {
  homeCareDischargeProcessManager as dischargePm,
  homeCarePackagesProcessManager as packagesPm,
  packageIdFor,
} from './process-managers';
import { DEADLINE_ACTOR, homeCareDeadlineRule } from './deadlines';
import { applyOffer, ledgerStepsAfter, planOffer } from './orchestration';
import {
  CASE_ID,
  hoursCommitted,
  hoursHeld,
  hoursReleased,
  hub,
  LOCALITY,
  metadata,
  OFFER_EXPIRES_AT,
  OTHER_OFFER_ID,
  offerPlace,
  PACKAGE_ID,
  packageAccepted,
  packageOffered,
  packageOfferDeclined,
  packageOfferExpired,
  packageOfferWithdrawn,
  packageRequestCancelled,
  packageRequested,
  packageStarted,
  PROVIDER_ID,
  system,
  TOMORROW,
} from './testing/builders';
import { evolveHomeCarePackage, initialHomeCarePackage } from './home-care-package';

let sequence = 0;
const onBus = (
  event: { type: string; data: unknown },
  id = `00000000-0000-4000-8000-${String(++sequence).padStart(12, '0')}`,
): BusEvent => ({
  id,
  type: event.type,
  schemaVersion: 1,
  streamId: `stream-${id}`,
  revision: 0,
  position: '1',
  occurredAt: '2026-11-23T10:00:00.000Z',
  recordedAt: '2026-11-23T10:00:00.000Z',
  data: event.data,
  metadata: { correlationId: 'corr-1', causationId: 'cause-1', actor: hub },
});
const recorded = (event: { type: string; data: unknown }) => onBus(event) as unknown as RecordedEvent;
const ledger = { providerId: PROVIDER_ID, locality: LOCALITY, date: TOMORROW, holdId: 'offer-1' };
const shape = (commands: Command[]) => commands.map(({ type, data }) => ({ type, data }));

describe('home-care process managers', () => {
  describe('discharge → the case register', () => {
    it('notes the referral’s area and care hours', () =>
      expect(shape(dischargePm.react(onBus(referralSubmitted())))).toEqual([
        { type: 'NoteCaseReferral', data: { caseId: CASE_ID, area: 'SOMERSET_WEST_AND_TAUNTON', careHoursPerWeek: 14 } },
      ]));

    it('links a package derived from the P1 assignment when home care is needed', () => {
      const event = onBus(pathwayAssigned({ pathway: 1, homeCareNeeded: true }));
      const commands = dischargePm.react(event);
      expect(shape(commands)).toEqual([
        { type: 'LinkCasePackage', data: { caseId: CASE_ID, packageId: packageIdFor(CASE_ID, event.id) } },
      ]);
      expect(commands[0].metadata).toMatchObject({ causationId: event.id, actor: { role: 'system' } });
      expect(dischargePm.react(event)).toEqual(commands);
    });

    it('requests nothing for P1 without home care, or P2/P3', () => {
      expect(dischargePm.react(onBus(pathwayAssigned({ pathway: 1, homeCareNeeded: false })))).toEqual([]);
      expect(dischargePm.react(onBus(pathwayAssigned({ pathway: 2 })))).toEqual([]);
    });

    const wasP1WithCare = {
      previousPathway: 1 as const,
      previous: { pathway: 1 as const, homeCareNeeded: true, bedCategory: null, intentionToReturnHome: null },
    };
    it.each([
      ['a change from P1 to P2', pathwayAssigned({ pathway: 2, ...wasP1WithCare }), 'pathway-changed'],
      [
        'P1 no longer needing home care',
        pathwayAssigned({ pathway: 1, homeCareNeeded: false, ...wasP1WithCare }),
        'home-care-no-longer-needed',
      ],
      ['withdrawal', caseWithdrawn({ reason: 'no-longer-needed' }), 'case-withdrawn'],
      ['death', caseWithdrawn({ reason: 'died' }), 'patient-died'],
      ['meeting the criteria to reside again', criteriaToResideMetAgain(), 'criteria-to-reside-met-again'],
      ['discharge on another pathway', patientDischarged({ pathway: 2 } as never), 'discharged-on-another-pathway'],
    ])('releases the case’s package on %s', (_label, event, reason) =>
      expect(shape(dischargePm.react(onBus(event as { type: string; data: unknown })))).toEqual([
        { type: 'ReleaseCasePackage', data: { caseId: CASE_ID, reason } },
      ]),
    );

    it('keeps the package on a P1 discharge with home care', () =>
      expect(dischargePm.react(onBus(patientDischarged({ pathway: 1 } as never)))).toEqual([]));
  });

  describe('the case register finds the package through P1 → P2 → P1', () => {
    const given = specFor(homeCareCaseDecider);
    const cmd = <T extends Command>(command: T): T => ({ ...command, metadata: metadata(system) });
    const noted: HomeCareCaseEvent = {
      type: 'CaseReferralNoted',
      data: { caseId: CASE_ID, area: LOCALITY, careHoursPerWeek: 14, notedAt: '2026-11-23T10:00:00.000Z' },
    };
    const linked = (packageId: string): HomeCareCaseEvent => ({
      type: 'CasePackageLinked',
      data: { caseId: CASE_ID, packageId, area: LOCALITY, hoursPerWeek: 14, linkedAt: '2026-11-23T10:00:00.000Z' },
    });
    const released = (packageId: string, reason = 'pathway-changed' as const): HomeCareCaseEvent => ({
      type: 'CasePackageReleased',
      data: { caseId: CASE_ID, packageId, reason, releasedAt: '2026-11-23T10:00:00.000Z' },
    });
    const link = (packageId: string) =>
      cmd({ type: 'LinkCasePackage', data: { caseId: CASE_ID, packageId }, metadata: metadata() } as const);
    const release = cmd({
      type: 'ReleaseCasePackage',
      data: { caseId: CASE_ID, reason: 'pathway-changed' },
      metadata: metadata(),
    } as const);

    it('links the first package with the referral’s area and hours', () => given(noted).when(link('A')).then(linked('A')));
    it('releases it on the change to P2', () => given(noted, linked('A')).when(release).then(released('A')));
    it('links a fresh package on the return to P1, and releases that one next', () => {
      given(noted, linked('A'), released('A')).when(link('B')).then(linked('B'));
      given(noted, linked('A'), released('A'), linked('B')).when(release).then(released('B'));
    });
    it('decides nothing when there is no live package, or for a redelivered link', () => {
      given(noted, linked('A'), released('A')).when(release).thenNothingHappens();
      given(noted, linked('A'), released('A')).when(link('A')).thenNothingHappens();
    });
    it('supersedes a live package when another is linked', () =>
      given(noted, linked('A'))
        .when(link('B'))
        .then(released('A', 'superseded' as never), linked('B')));
    it('refuses a link before the referral reached home care (parked for the hub)', () =>
      given()
        .when(link('A'))
        .thenThrows(DomainRefusal, (e) => expect(e.code).toBe('CASE_REFERRAL_NOT_NOTED')));
  });

  describe('home care → packages, ledgers and the case', () => {
    it('requests the linked package', () =>
      expect(
        shape(
          packagesPm.react(
            onBus({
              type: 'CasePackageLinked',
              data: { caseId: CASE_ID, packageId: PACKAGE_ID, area: LOCALITY, hoursPerWeek: 14, linkedAt: 'x' },
            }),
          ),
        ),
      ).toEqual([
        {
          type: 'RequestPackage',
          data: { packageId: PACKAGE_ID, origin: 'hospital-discharge', caseId: CASE_ID, area: LOCALITY, hoursPerWeek: 14 },
        },
      ]));

    it('cancels the released package', () =>
      expect(
        shape(
          packagesPm.react(
            onBus({
              type: 'CasePackageReleased',
              data: { caseId: CASE_ID, packageId: PACKAGE_ID, reason: 'patient-died', releasedAt: 'x' },
            }),
          ),
        ),
      ).toEqual([{ type: 'CancelPackageRequest', data: { packageId: PACKAGE_ID, reason: 'patient-died' } }]));

    it('commits the winner’s hours and arranges the case’s placement on acceptance', () =>
      expect(shape(packagesPm.react(onBus(packageAccepted())))).toEqual([
        { type: 'CommitHours', data: ledger },
        { type: 'ArrangePlacement', data: { caseId: CASE_ID, source: 'home-care-package', sourceId: PACKAGE_ID } },
      ]));

    it('arranges no placement for a community-referral package', () =>
      expect(shape(packagesPm.react(onBus(packageAccepted({ caseId: null, referralId: 'r-1' }))))).toEqual([
        { type: 'CommitHours', data: ledger },
      ]));

    it.each([
      [packageOfferDeclined(), 'offer-declined'],
      [packageOfferExpired(), 'offer-expired'],
      [packageOfferWithdrawn(), 'offer-withdrawn'],
      [packageRequestCancelled({ committedOffer: offerPlace() }), 'package-cancelled'],
    ])('releases the hours for %#', (event, reason) =>
      expect(shape(packagesPm.react(onBus(event)))).toEqual([{ type: 'ReleaseHours', data: { ...ledger, reason } }]),
    );

    it('gives every command of one reaction its own deterministic id', () => {
      const event = onBus(packageAccepted());
      const ids = packagesPm.react(event).map((c) => c.metadata.commandId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(packagesPm.react(event).map((c) => c.metadata.commandId)).toEqual(ids);
    });

    it('ignores what it does not handle', () => expect(packagesPm.react(onBus(packageStarted()))).toEqual([]));
  });

  describe('the deadline rule', () => {
    it('schedules an offer’s expiry as a plain command from the deadline scheduler', () => {
      const event = recorded(packageOffered());
      const effect = homeCareDeadlineRule.effect(event);
      expect(effect).toMatchObject({ kind: 'schedule', dueAt: OFFER_EXPIRES_AT });
      if (effect?.kind !== 'schedule') throw new Error('expected a schedule');
      const command = effect.command('2026-11-23T14:00:02.000Z');
      expect(command).toEqual({
        type: 'ExpirePackageOffer',
        data: { packageId: PACKAGE_ID, offerId: 'offer-1' },
        metadata: expect.objectContaining({ actor: DEADLINE_ACTOR, now: '2026-11-23T14:00:02.000Z', causationId: event.id }),
      });
      expect(JSON.parse(JSON.stringify(command))).toEqual(command);
    });

    it.each([packageAccepted(), packageOfferDeclined(), packageOfferExpired(), packageOfferWithdrawn()])(
      'settles the expiry on %#',
      (event) => {
        const scheduled = homeCareDeadlineRule.effect(recorded(packageOffered()));
        expect(homeCareDeadlineRule.effect(recorded(event))).toEqual({ kind: 'settle', deadlineId: scheduled?.deadlineId });
      },
    );

    it('lets a hold lapse an hour after its offer would expire, and settles it on commit or release', () => {
      const effect = homeCareDeadlineRule.effect(recorded(hoursHeld({ date: TOMORROW })));
      expect(effect).toMatchObject({ kind: 'schedule', dueAt: '2026-11-23T15:00:00.000Z' });
      if (effect?.kind !== 'schedule') throw new Error('expected a schedule');
      expect(effect.command('t').data).toEqual({ ...ledger, reason: 'hold-lapsed' });
      expect(homeCareDeadlineRule.effect(recorded(hoursCommitted({ date: TOMORROW })))).toEqual({
        kind: 'settle',
        deadlineId: effect.deadlineId,
      });
      expect(homeCareDeadlineRule.effect(recorded(hoursReleased({ date: TOMORROW })))).toEqual({
        kind: 'settle',
        deadlineId: effect.deadlineId,
      });
    });
  });

  describe('offer orchestration', () => {
    const pkg = evolveHomeCarePackage(initialHomeCarePackage(), packageRequested());
    const steps = planOffer(
      pkg,
      { offerId: 'offer-1', providerId: PROVIDER_ID, startOn: TOMORROW, expiresAt: OFFER_EXPIRES_AT },
      metadata(hub),
    );

    it('plans hold, offer and undo with the package’s locality and hours', () => {
      expect(steps.hold.data).toEqual({ ...ledger, packageId: PACKAGE_ID, hours: 14, expiresAt: OFFER_EXPIRES_AT });
      expect(steps.undo.data).toEqual({ ...ledger, reason: 'offer-not-recorded' });
      expect(new Set([steps.hold, steps.offer, steps.undo].map((c) => c.metadata.commandId)).size).toBe(3);
    });

    it('holds first, then offers', async () => {
      const sent: string[] = [];
      await applyOffer(steps, async (c) => void sent.push(c.type));
      expect(sent).toEqual(['HoldHours', 'OfferPackage']);
    });

    it('releases the hold when the package refuses the offer', async () => {
      const sent: string[] = [];
      const refusal = new DomainRefusal('PROVIDER_ALREADY_OFFERED', 'no', 'conflict');
      await expect(
        applyOffer(steps, async (c) => {
          sent.push(c.type);
          if (c.type === 'OfferPackage') throw refusal;
        }),
      ).rejects.toBe(refusal);
      expect(sent).toEqual(['HoldHours', 'OfferPackage', 'ReleaseHours']);
    });

    it('releases the hold when the package changed since the If-Match the hub sent', async () => {
      const sent: string[] = [];
      const stale = new WrongExpectedRevision('homeCarePackage-x', 1, 2);
      await expect(
        applyOffer(steps, async (c) => {
          sent.push(c.type);
          if (c.type === 'OfferPackage') throw stale;
        }),
      ).rejects.toBe(stale);
      expect(sent).toEqual(['HoldHours', 'OfferPackage', 'ReleaseHours']);
    });

    it('offers nothing when the hold is refused', async () => {
      const sent: string[] = [];
      await expect(
        applyOffer(steps, async (c) => {
          sent.push(c.type);
          throw new DomainRefusal('CAPACITY_NOT_FREE', 'no', 'conflict');
        }),
      ).rejects.toMatchObject({ code: 'CAPACITY_NOT_FREE' });
      expect(sent).toEqual(['HoldHours']);
    });

    it('refuses to plan an offer for a placed package', () => {
      const placed = [packageOffered(), packageAccepted()].reduce(evolveHomeCarePackage, pkg);
      expect(() =>
        planOffer(
          placed,
          { offerId: 'x', providerId: PROVIDER_ID, startOn: TOMORROW, expiresAt: OFFER_EXPIRES_AT },
          metadata(hub),
        ),
      ).toThrow(DomainRefusal);
    });

    it('lists the ledger moves after an acceptance: commit the winner, release the withdrawn', () =>
      expect(
        shape(ledgerStepsAfter([packageAccepted(), packageOfferWithdrawn({ offerId: OTHER_OFFER_ID })], metadata(hub))),
      ).toEqual([
        { type: 'CommitHours', data: ledger },
        {
          type: 'ReleaseHours',
          data: { ...ledger, providerId: 'PRV-LEVELS-HOMECARE', holdId: OTHER_OFFER_ID, reason: 'offer-withdrawn' },
        },
      ]));
  });
});
