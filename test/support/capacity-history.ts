import { bedBaseContext, bedBoard, bedStatusOf, releaseSteps, reservationSteps, runRelease, runReservation } from '@app/bed-base';
import { seedCommands as bedBaseSeed } from '@app/bed-base/somerset-bed-base';
import { dischargeContext } from '@app/discharge';
import {
  categoryOf,
  deterministicUuid,
  DomainRefusal,
  type Actor,
  type Command,
  type CommandMetadata,
  type EventStore,
  type RecordedEvent,
} from '@app/event-sourcing';
import {
  applyOffer,
  homeCareContext,
  homeCareView,
  ILLUSTRATIVE_PROVIDERS,
  planOffer,
  seedCommands as providerSeed,
} from '@app/home-care';
import { ParkingLot, ProcessManagerRunner, registerParkingLot, toBusMessage, topicFor, type MessageBus } from '@app/messaging';
import type { ContextDefinition } from '@app/platform/context';
import type { ReferenceData } from '@app/reference-data';
import { addLondonDays, londonDate, startOfLondonDay, type LondonDate } from '@app/time';
import { DAY, dispatcherFor, HOUR, MINUTE, second, seeded, Timeline, type SimulatedClock, type Step } from './simulation';

/**
 * A seeded, repeatable bed-base and D2A history, written through the REAL deciders (CommandDispatcher →
 * CommandRunner → store) and the REAL process managers: after every step a pump reads the new events in
 * global order and hands each to every process manager subscribed to its context's topic, through the
 * ProcessManagerRunner (so a refused reaction is parked exactly as in the app). Two segments contain the
 * clock changes and month ends (20 Mar – 3 Apr and 18 Oct – 2 Nov 2026); stays, packages and follow-ups run on.
 *
 * What happens: the illustrative bed base and providers are seeded; providers post capacity returns for today
 * to +14 days (with staffing, and corrections); referrals on P1 with home care, P2/P3 with a bed category, or
 * P0; the hub reserves beds (some reservations expire or are released), patients are discharged into them
 * and leave after 1–40 days; the hub offers packages (with overrides when no hours are free), providers accept,
 * decline or let offers expire, packages start and end with outcomes; beds and sites close and reopen,
 * escalation beds open and stand down; some cases are withdrawn at the wrong moment, so process-manager
 * reactions are parked, then retried (refused again) or dismissed.
 */
export const CAPACITY_SEGMENTS: ReadonlyArray<{ first: LondonDate; last: LondonDate }> = [
  { first: '2026-03-20', last: '2026-04-03' },
  { first: '2026-10-18', last: '2026-11-02' },
];

export interface CapacityHistorySummary {
  cases: number;
  commands: number;
  refusals: Record<string, number>;
}

/** Feeds every new event to the process managers of its context's topic, until nothing new is written. */
class Pump {
  private after: bigint | undefined;
  private readonly contextOf = new Map<string, string>();
  readonly board = bedBoard.initial();
  readonly home = homeCareView.initial();
  /** caseId → the latest bed request / package raised for it. */
  readonly requestOf = new Map<string, string>();
  readonly packageOf = new Map<string, string>();

  constructor(
    private readonly store: EventStore,
    private readonly runner: ProcessManagerRunner,
    private readonly contexts: readonly ContextDefinition[],
  ) {
    for (const c of contexts) for (const category of c.categories) this.contextOf.set(category, c.context);
  }

  async settle(): Promise<void> {
    for (;;) {
      const page = await this.store.readAll({ after: this.after, maxCount: 1000 });
      if (page.length === 0) return;
      for (const event of page) {
        this.after = event.position;
        this.observe(event);
        const context = this.contextOf.get(categoryOf(event.streamId));
        if (!context) continue;
        const busEvent = toBusMessage(context, event).value;
        for (const c of this.contexts) {
          for (const pm of c.processManagers ?? []) {
            if (pm.topics.includes(topicFor(context))) await this.runner.handle(pm, busEvent);
          }
        }
      }
    }
  }

  private observe(event: RecordedEvent) {
    const category = categoryOf(event.streamId);
    if (bedBoard.categories.includes(category)) bedBoard.evolve(this.board, event);
    if (homeCareView.categories.includes(category)) homeCareView.evolve(this.home, event);
    const data = event.data as { caseId?: string; requestId?: string; packageId?: string };
    if (event.type === 'BedRequestOpened') this.requestOf.set(data.caseId!, data.requestId!);
    if (event.type === 'PackageRequested' && data.caseId) this.packageOf.set(data.caseId, data.packageId!);
  }
}

export async function generateCapacityHistory(options: {
  store: EventStore;
  referenceData: ReferenceData;
  clock: SimulatedClock;
  seed?: number;
  referralsPerDay?: number;
}): Promise<CapacityHistorySummary> {
  const { store, referenceData, clock } = options;
  const seed = options.seed ?? 20261025;
  const rng = seeded(seed);
  const perDay = options.referralsPerDay ?? 10;
  const contexts = [dischargeContext(referenceData), bedBaseContext(referenceData), homeCareContext(referenceData)];
  const dispatcher = dispatcherFor(store, contexts);
  registerParkingLot(dispatcher);
  const runner = new ProcessManagerRunner({ bus: {} as MessageBus, store, dispatcher });
  const pump = new Pump(store, runner, contexts);
  const parkingLot = new ParkingLot(store, dispatcher);

  const hub: Actor = { userId: 'hub.coordinator', role: 'hub', organisation: 'TOCH' };
  const admin: Actor = { userId: 'admin', role: 'admin', organisation: 'TOCH' };
  const system: Actor = { userId: 'deadline-scheduler', role: 'system', organisation: 'TOCH' };
  const providerActor = (providerId: string): Actor => ({
    userId: `provider.${providerId}`,
    role: 'provider',
    organisation: providerId,
  });
  const summary: CapacityHistorySummary = { cases: 0, commands: 0, refusals: {} };
  let commandNo = 0;

  const metadataAt = (at: number, actor: Actor): CommandMetadata => {
    const commandId = deterministicUuid(`capacity-history:${seed}:${++commandNo}`);
    return { commandId, correlationId: commandId, actor, now: new Date(at).toISOString() };
  };
  const dispatch = async (command: Command) => {
    summary.commands += 1;
    return dispatcher.dispatch(command, { retries: 3 });
  };
  const refused = (error: unknown) => {
    if (!(error instanceof DomainRefusal)) throw error;
    summary.refusals[error.code] = (summary.refusals[error.code] ?? 0) + 1;
    return undefined;
  };
  /** Sends a command; a refusal is counted and answered with undefined (the history goes on). */
  const send = async (type: string, data: Record<string, unknown>, at: number, actor: Actor = hub) => {
    try {
      return await dispatch({ type, data, metadata: metadataAt(at, actor) } as Command);
    } catch (error) {
      return refused(error);
    }
  };

  const areas = referenceData.areas.map((a) => a.code);
  const hospitals = referenceData.hospitals;
  const destinations = (pathway: number) => referenceData.destinationsAllowedForPathway(pathway as 0).map((d) => d.code);

  const timeline = new Timeline();
  const schedule = (step: Step) => timeline.schedule(step);

  // ─── Seed: the bed base and the providers, before the first segment ─────────────────────────────────
  const seedAt = Date.parse('2026-03-19T08:00:00Z');
  schedule({
    at: seedAt,
    run: async () => {
      for (const command of bedBaseSeed(metadataAt(seedAt, admin))) await dispatch(command);
      for (const command of providerSeed(metadataAt(seedAt, system))) await dispatch(command);
    },
  });

  // ─── Capacity returns ───────────────────────────────────────────────────────────────────────────────
  const declared = new Set<string>();
  const declare = async (at: number, providerId: string, locality: string, date: LondonDate, correction = false) => {
    const rostered = rng.int(8, 40);
    const staffing = rng.chance(0.85)
      ? { careWorkersRostered: rostered, careWorkersAbsent: rng.int(0, Math.ceil(rostered * 0.2)) }
      : undefined;
    const result = await send(
      'DeclareCapacity',
      {
        providerId,
        locality,
        date,
        hoursPerWeek: correction ? rng.int(0, 40) : rng.int(10, 80),
        newPackages: rng.int(correction ? 0 : 1, 6),
        ...(staffing && { staffing }),
      },
      at,
      rng.chance(0.8) ? providerActor(providerId) : hub,
    );
    if (result) declared.add(`${providerId}|${locality}|${date}`);
  };
  const returnsFor = (day: LondonDate): Step => {
    const at = second(startOfLondonDay(day).getTime() + 7 * HOUR + rng.int(0, 90) * MINUTE);
    return {
      at,
      run: async () => {
        for (const p of ILLUSTRATIVE_PROVIDERS) {
          for (const locality of p.localities) {
            if (rng.chance(0.1)) continue; // a missed return
            for (let i = 0; i <= 14; i++) {
              const date = addLondonDays(day, i);
              if (!declared.has(`${p.providerId}|${locality}|${date}`)) await declare(at, p.providerId, locality, date);
            }
            if (rng.chance(0.25)) await declare(at + MINUTE, p.providerId, locality, addLondonDays(day, rng.int(0, 14)), true);
          }
        }
      },
    };
  };

  // ─── Bed and site configuration changes ────────────────────────────────────────────────────────────
  const bedOps = (day: LondonDate): Step => {
    const at = second(startOfLondonDay(day).getTime() + rng.int(0, 23 * 60) * MINUTE);
    return {
      at,
      run: async () => {
        const beds = Object.values(pump.board.beds).filter((b) => !b.decommissioned);
        for (let i = 0; i < 3; i++) {
          const bed = rng.pick(beds);
          const status = bedStatusOf(bed, pump.board.sites[bed.siteId]).status;
          if (status === 'closed') await send('ReopenBed', { bedId: bed.bedId }, at, admin);
          else if (bed.escalation) {
            await send(bed.escalationOpen ? 'StandDownEscalationBed' : 'OpenEscalationBed', { bedId: bed.bedId }, at, admin);
          } else {
            await send(
              'CloseBed',
              { bedId: bed.bedId, reason: rng.pick(['infection', 'staffing', 'maintenance', 'estates']) },
              at,
              admin,
            );
          }
        }
        // Escalation beds open in bulk under pressure.
        if (rng.chance(0.3)) {
          for (const bed of beds.filter((b) => b.escalation && !b.escalationOpen).slice(0, rng.int(1, 4))) {
            await send('OpenEscalationBed', { bedId: bed.bedId }, at, admin);
          }
        }
        if (rng.chance(0.2)) {
          const site = rng.pick(Object.values(pump.board.sites));
          if (site.closedToAdmissions) await send('ReopenSiteToAdmissions', { siteId: site.siteId }, at + MINUTE, admin);
          else
            await send(
              'CloseSiteToAdmissions',
              { siteId: site.siteId, reason: rng.pick(['outbreak', 'staffing']) },
              at + MINUTE,
              admin,
            );
        }
        if (rng.chance(0.05)) {
          const bed = rng.pick(beds);
          await send('DecommissionBed', { bedId: bed.bedId }, at + 2 * MINUTE, admin);
        }
      },
    };
  };

  // ─── Cases ───────────────────────────────────────────────────────────────────────────────────────────
  const caseProcess = (t0: number): Step => {
    const n = summary.cases++;
    const caseId = deterministicUuid(`capacity-case:${seed}:${n}`);
    const patientId = deterministicUuid(`capacity-patient:${seed}:${n}`);
    const hospital = rng.pick(hospitals);
    const area = rng.pick(areas);
    const roll = rng.next();
    const pathway = roll < 0.45 ? 1 : roll < 0.75 ? 2 : roll < 0.88 ? 3 : 0;
    const bedCategory =
      pathway === 2
        ? rng.pick(['rehab', 'rehab', 'reablement', 'end-of-life', 'step-down', 'interim'])
        : pathway === 3
          ? rng.pick(['nursing', 'residential'])
          : null;
    /** Withdrawn at the wrong moment: just before the reservation or acceptance is recorded. */
    const race = rng.chance(0.08);
    const withdrawEarly = !race && rng.chance(0.06);
    let discharged = false;
    let withdrawn = false;

    const withdraw = async (at: number) => {
      if (discharged || withdrawn) return;
      withdrawn = true;
      await send('WithdrawCase', { caseId, reason: rng.pick(['died', 'no-longer-needed']) }, at);
    };
    const discharge = async (at: number) => {
      if (discharged || withdrawn) return;
      const outcome = await send(
        'RecordDischarge',
        { caseId, dischargedAt: new Date(at).toISOString(), destination: rng.pick(destinations(pathway)) },
        at,
      );
      if (outcome) discharged = true;
    };

    // Bed: reserve, then discharge into it (or let it expire, release it, or lose it to a withdrawal).
    const reserve = (at: number, attempt: number): Step => ({
      at,
      run: async () => {
        const requestId = pump.requestOf.get(caseId);
        if (!requestId || discharged || withdrawn) return;
        const request = pump.board.requests[requestId];
        if (!request || request.reservation) return;
        const free = Object.values(pump.board.beds).filter(
          (b) =>
            b.pathway === pathway && b.category === bedCategory && bedStatusOf(b, pump.board.sites[b.siteId]).status === 'open',
        );
        const bed = free.length > 0 ? rng.pick(free) : rng.pick(Object.values(pump.board.beds));
        const reservationId = deterministicUuid(`capacity-reservation:${seed}:${n}:${attempt}`);
        if (race) await withdraw(at);
        const metadata = metadataAt(at, hub);
        const holdHours = rng.int(4, 48);
        const outcome = await runReservation(
          reservationSteps({ requestId, caseId, bedId: bed.bedId, reservationId, holdHours }, metadata),
          dispatch,
        );
        if (outcome.outcome !== 'reserved') {
          refused(outcome.refusal);
          return attempt < 3 ? [reserve(second(at + rng.int(6, 30) * HOUR), attempt + 1)] : [];
        }
        const expiresAt = Date.parse(outcome.expiresAt);
        const fate = rng.next();
        if (fate < 0.12) {
          // Let it expire: the deadline fires just after.
          return [
            {
              at: expiresAt + MINUTE,
              run: async () => {
                await send('ExpireBedReservation', { bedId: bed.bedId, reservationId }, expiresAt + MINUTE, system);
                return [reserve(expiresAt + rng.int(2, 20) * HOUR, attempt + 1)];
              },
            },
          ];
        }
        if (fate < 0.2) {
          const releaseAt = second(at + rng.int(1, holdHours - 1) * HOUR);
          return [
            {
              at: releaseAt,
              run: async () => {
                try {
                  await runRelease(
                    releaseSteps({ requestId, bedId: bed.bedId, reservationId }, metadataAt(releaseAt, hub)),
                    dispatch,
                  );
                } catch (error) {
                  refused(error);
                }
                return attempt < 3 ? [reserve(releaseAt + rng.int(1, 24) * HOUR, attempt + 1)] : [];
              },
            },
          ];
        }
        const dischargeAt = second(at + rng.int(10, Math.max(11, (holdHours - 1) * 60)) * MINUTE);
        return [
          {
            at: dischargeAt,
            run: async () => {
              await discharge(dischargeAt);
              if (!discharged) return;
              const stayDays = rng.chance(0.25) ? rng.int(21, 45) : rng.int(1, 20);
              const leaveAt = second(dischargeAt + stayDays * DAY + rng.int(-300, 300) * MINUTE);
              return [
                {
                  at: leaveAt,
                  run: async () => {
                    await send(
                      'RecordPatientLeftBed',
                      { bedId: bed.bedId, outcome: rng.pick(['home', 'home-with-care', 'long-term-care', 'hospital', 'died']) },
                      leaveAt,
                    );
                  },
                },
              ];
            },
          },
        ];
      },
    });

    // Home care: offers (held hours, overrides when none are free), answers, start and end.
    const offer = (at: number, round: number): Step => ({
      at,
      run: async () => {
        const packageId = pump.packageOf.get(caseId);
        const entry = packageId ? pump.home.packages[packageId] : undefined;
        if (!entry || entry.state.status !== 'requested' || discharged || withdrawn) return;
        const serving = ILLUSTRATIVE_PROVIDERS.filter((p) => p.localities.includes(area));
        const offered: Array<{ offerId: string; providerId: string; expiresAt: number }> = [];
        for (const provider of [rng.pick(serving), rng.pick(serving)]) {
          if (offered.some((o) => o.providerId === provider.providerId)) continue;
          const offerId = deterministicUuid(`capacity-offer:${seed}:${n}:${round}:${provider.providerId}`);
          const expiresAt = second(at + rng.int(4, 24) * HOUR);
          const request = {
            offerId,
            providerId: provider.providerId,
            startOn: addLondonDays(londonDate(new Date(at)), rng.int(0, 3)),
            expiresAt: new Date(expiresAt).toISOString(),
          };
          const state = pump.home.packages[packageId!].state;
          try {
            await applyOffer(planOffer(state, request, metadataAt(at, hub)), dispatch);
            offered.push({ offerId, providerId: provider.providerId, expiresAt });
          } catch (error) {
            refused(error);
            if (rng.chance(0.5)) {
              try {
                const override = { ...request, offerId: `${offerId}-o`, overrideReason: 'urgent-discharge' as const };
                await applyOffer(planOffer(pump.home.packages[packageId!].state, override, metadataAt(at, hub)), dispatch);
                offered.push({ offerId: override.offerId, providerId: provider.providerId, expiresAt });
              } catch (again) {
                refused(again);
              }
            }
          }
          await pump.settle();
        }
        if (offered.length === 0) return round < 4 ? [offer(second(at + rng.int(3, 24) * HOUR), round + 1)] : [];
        return offered.map((o, i) => {
          const answer = rng.next();
          const answerAt =
            answer < 0.15
              ? o.expiresAt + MINUTE
              : second(at + rng.int(10, Math.max(11, (o.expiresAt - at) / MINUTE - 5)) * MINUTE);
          return {
            at: answerAt,
            run: async () => {
              if (answer < 0.15) {
                await send('ExpirePackageOffer', { packageId, offerId: o.offerId }, answerAt, system);
              } else if (answer < 0.4) {
                await send(
                  'DeclinePackageOffer',
                  {
                    packageId,
                    offerId: o.offerId,
                    reason: rng.pick(['no-carers-available', 'outside-travel-area', 'start-date-not-possible']),
                  },
                  answerAt,
                  providerActor(o.providerId),
                );
              } else {
                if (race) await withdraw(answerAt);
                const accepted = await send(
                  'AcceptPackageOffer',
                  { packageId, offerId: o.offerId },
                  answerAt,
                  providerActor(o.providerId),
                );
                if (accepted) return [afterAcceptance(answerAt, o.providerId)];
              }
              const still = pump.home.packages[packageId!]?.state.status === 'requested';
              return i === offered.length - 1 && still && round < 4
                ? [offer(second(answerAt + rng.int(2, 20) * HOUR), round + 1)]
                : [];
            },
          };
        });
      },
    });

    const afterAcceptance = (acceptedAt: number, providerId: string): Step => {
      const now = second(acceptedAt + rng.int(30, 20 * 60) * MINUTE);
      return afterAcceptanceAt(now, providerId);
    };
    const afterAcceptanceAt = (now: number, providerId: string): Step => ({
      at: now,
      run: async () => {
        await discharge(now);
        const packageId = pump.packageOf.get(caseId)!;
        const entry = pump.home.packages[packageId];
        if (!entry || entry.state.status !== 'accepted' || rng.chance(0.08)) return;
        const accepted = entry.state.offers.find(
          (o) => o.offerId === (entry.state as { acceptedOfferId: string }).acceptedOfferId,
        )!;
        const startAt =
          Math.max(startOfLondonDay(accepted.startOn).getTime() + rng.int(7, 20) * HOUR, now + HOUR) + rng.int(0, 36) * HOUR;
        return [
          {
            at: startAt,
            run: async () => {
              const startedOn = londonDate(new Date(startAt));
              const started = await send(
                'StartPackage',
                { packageId, startedOn },
                startAt,
                rng.chance(0.7) ? providerActor(providerId) : hub,
              );
              if (!started) return;
              const endAt = startAt + rng.int(2, 35) * DAY;
              return [
                {
                  at: endAt,
                  run: async () => {
                    await send(
                      'EndPackage',
                      {
                        packageId,
                        endedOn: londonDate(new Date(endAt)),
                        outcome: rng.pick([
                          'no-ongoing-needs',
                          'no-ongoing-needs',
                          'reduced-package',
                          'long-term-package',
                          'bedded-care',
                          'hospital',
                          'died',
                        ]),
                      },
                      endAt,
                      providerActor(providerId),
                    );
                  },
                },
              ];
            },
          },
        ];
      },
    });

    return {
      at: t0,
      run: async () => {
        const admittedOn = addLondonDays(londonDate(new Date(t0)), -rng.int(0, 5));
        const submitted = await send(
          'SubmitReferral',
          {
            caseId,
            patientId,
            hospital: hospital.trustOdsCode,
            ward: rng.pick(hospital.wards).code,
            admittedOn,
            area,
            usualResidence: 'own-home',
            ageBand: rng.pick(['65-74', '75-84', '85+']),
            proposedPathway: pathway,
            needs: {
              mobility: 'walking-aid',
              cognition: 'no-concerns',
              careHoursPerWeek: rng.pick([5, 7, 10, 14, 21]),
              equipment: [],
              specialist: {
                bariatric: false,
                dementia: false,
                endOfLife: false,
                opmh: false,
                sideRoom: false,
                sexForBayAllocation: 'no-requirement',
              },
            },
          },
          t0,
        );
        if (!submitted) return;
        const acceptAt = second(t0 + rng.int(1, 30) * MINUTE);
        return [
          {
            at: acceptAt,
            run: async () => {
              await send('AcceptReferral', { caseId }, acceptAt);
              const extra =
                pathway === 1
                  ? { homeCareNeeded: true }
                  : pathway === 2
                    ? { bedCategory, intentionToReturnHome: true }
                    : pathway === 3
                      ? { bedCategory }
                      : {};
              await send('AssignPathway', { caseId, pathway, reason: 'mdt-assessment', ...extra }, acceptAt + MINUTE);
              await pump.settle();
              const next = second(acceptAt + rng.int(1, 40) * HOUR);
              const steps: Step[] = [];
              const withdrawAt = second(acceptAt + rng.int(1, 72) * HOUR);
              if (withdrawEarly) steps.push({ at: withdrawAt, run: async () => withdraw(withdrawAt) });
              if (pathway === 1) steps.push(offer(next, 0));
              else if (pathway === 0) steps.push({ at: next, run: async () => discharge(next) });
              else steps.push(reserve(next, 0));
              return steps;
            },
          },
        ];
      },
    };
  };

  // ─── Parked messages: the hub looks at them now and then ────────────────────────────────────────────
  const triage = (day: LondonDate): Step => {
    const at = second(startOfLondonDay(day).getTime() + 16 * HOUR + rng.int(0, 60) * MINUTE);
    return {
      at,
      run: async () => {
        for (const message of await parkingLot.list()) {
          const roll = rng.next();
          if (roll < 0.3) await parkingLot.retry(message.parkedId!, metadataAt(at, hub));
          else if (roll < 0.55)
            await send('DismissParkedMessage', { parkedId: message.parkedId, note: 'case closed; nothing to do' }, at);
        }
      },
    };
  };

  for (const segment of CAPACITY_SEGMENTS) {
    for (let d = segment.first; d <= segment.last; d = addLondonDays(d, 1)) {
      const start = startOfLondonDay(d).getTime();
      const length = startOfLondonDay(addLondonDays(d, 1)).getTime() - start;
      schedule(returnsFor(d));
      schedule(bedOps(d));
      schedule(triage(d));
      for (let i = 0; i < perDay; i++) {
        const offset = rng.chance(0.15) ? rng.pick([5, 55, 65, 90, length / MINUTE - 20]) * MINUTE : rng.next() * length;
        schedule(caseProcess(second(start + offset)));
      }
    }
  }

  await timeline.run(clock, () => pump.settle());
  return summary;
}
