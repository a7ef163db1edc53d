import { deterministicUuid, type Actor, type Command, type CommandDispatcher, type CommandMetadata } from '@app/event-sourcing';
import type { ReferenceData } from '@app/reference-data';
import { addLondonDays, londonDate, londonDaysBetween, startOfLondonDay, type LondonDate } from '@app/time';
import { HOUR, MINUTE, second, seeded, Timeline, type SimulatedClock, type Step } from './simulation';

/**
 * A seeded, repeatable discharge history written through the REAL deciders (CommandDispatcher → CommandRunner →
 * store): referrals in two segments of 2026 that contain both clock changes and month ends (1 Mar – 8 Apr and
 * 1 Oct – 8 Nov), with acceptance and returns, pathways near the configured split, DRDs and DRD resets,
 * overlapping delays with primary changes, withdrawals, discharges, the acute activity feed (with re-reports)
 * and 91-day follow-ups into 2027. Every command carries the simulated `now`; point the store's recordedAt clock
 * at `clock.now()` so as-of queries line up.
 */

export const HISTORY_SEGMENTS: ReadonlyArray<{ first: LondonDate; last: LondonDate }> = [
  { first: '2026-03-01', last: '2026-04-08' },
  { first: '2026-10-01', last: '2026-11-08' },
];

export interface HistorySummary {
  cases: number;
  commands: number;
  events: number;
  refusals: Record<string, number>;
}

export async function generateDischargeHistory(options: {
  dispatcher: CommandDispatcher;
  referenceData: ReferenceData;
  clock: SimulatedClock;
  seed?: number;
  referralsPerDay?: number;
}): Promise<HistorySummary> {
  const { dispatcher, referenceData, clock } = options;
  const rng = seeded(options.seed ?? 20260329);
  const perDay = options.referralsPerDay ?? 8;
  const hub: Actor = { userId: 'hub.coordinator', role: 'hub', organisation: 'TOCH' };
  const system: Actor = { userId: 'deadline-scheduler', role: 'system', organisation: 'TOCH' };
  const wardOf = (trust: string): Actor => ({ userId: `ward.${trust}`, role: 'ward', organisation: trust });
  const summary: HistorySummary = { cases: 0, commands: 0, events: 0, refusals: {} };
  let commandNo = 0;

  const send = async (type: string, data: Record<string, unknown>, at: number, actor: Actor = hub) => {
    const commandId = deterministicUuid(`history:${options.seed ?? 0}:${++commandNo}`);
    const metadata: CommandMetadata = { commandId, correlationId: commandId, actor, now: new Date(at).toISOString() };
    summary.commands += 1;
    const outcome = await dispatcher.dispatch({ type, data, metadata } as Command);
    summary.events += outcome.events.length;
    return outcome;
  };

  const hospitals = referenceData.hospitals;
  const areas = referenceData.areas.map((a) => a.code);
  const ageBands = referenceData.contents.ageBands.map((b) => b.code);
  const reasons = referenceData.currentDelayReasons().map((r) => r.code);
  const version = referenceData.currentDelayReasonVersion;
  const destinations = (pathway: number) => referenceData.destinationsAllowedForPathway(pathway as 0).map((d) => d.code);
  const pathwayWeights = [
    [0, 62],
    [1, 27],
    [2, 8],
    [3, 3],
  ] as const;

  const timeline = new Timeline();
  const schedule = (step: Step) => timeline.schedule(step);

  const caseProcess = (t0: number): Step => {
    const caseId = deterministicUuid(`case:${options.seed ?? 0}:${summary.cases}`);
    const patientId = deterministicUuid(`patient:${options.seed ?? 0}:${summary.cases}`);
    summary.cases += 1;
    const hospital = rng.pick(hospitals);
    const trust = hospital.trustOdsCode;
    const ageBand = rng.weighted([
      [ageBands[0], 20],
      [ageBands[1], 25],
      [ageBands[2], 30],
      [ageBands[3], 25],
    ]);
    const state = {
      nctrFrom: null as LondonDate | null,
      lastMetAgain: null as LondonDate | null,
      admittedOn: '' as LondonDate,
      pathway: null as number | null,
      delays: [] as Array<{ id: string; reason: string; primary: boolean }>,
      delayNo: 0,
      resets: 0,
    };
    const today = (at: number) => londonDate(new Date(at));
    const after = (at: number, minMinutes: number, maxMinutes: number) => second(at + rng.int(minMinutes, maxMinutes) * MINUTE);
    const fate = rng.weighted([
      ['discharge', 78],
      ['withdraw', 7],
      ['stay', 15],
    ] as const);
    let actions = rng.int(1, 6);

    const assign = async (at: number, pathway: number) => {
      const extra =
        pathway === 1
          ? { homeCareNeeded: rng.chance(0.6) }
          : pathway === 2
            ? {
                bedCategory: rng.pick(['rehab', 'reablement', 'end-of-life', 'interim']),
                intentionToReturnHome: rng.chance(0.7),
              }
            : pathway === 3
              ? { bedCategory: rng.pick(['nursing', 'residential']) }
              : {};
      await send(
        'AssignPathway',
        { caseId, pathway, reason: 'mdt-assessment', ...extra },
        at,
        pathway === 0 && (state.pathway ?? 0) === 0 && rng.chance(0.3) ? wardOf(trust) : hub,
      );
      state.pathway = pathway;
    };

    const end = (at: number): Step => ({
      at,
      run: async () => {
        if (fate === 'withdraw') {
          await send(
            'WithdrawCase',
            { caseId, reason: rng.pick(['died', 'no-longer-needed', 'readmitted-or-transferred-out']) },
            at,
          );
          return [];
        }
        if (fate === 'stay') return [];
        if (state.pathway === null) await assign(at - MINUTE, rng.weighted(pathwayWeights));
        // Backdated a little, never before the DRD, and on the same London day as often as not.
        let dischargedAt = second(at - rng.int(0, 120) * MINUTE);
        if (state.nctrFrom && today(dischargedAt) < state.nctrFrom) dischargedAt = at;
        const outcome = await send(
          'RecordDischarge',
          { caseId, dischargedAt: new Date(dischargedAt).toISOString(), destination: rng.pick(destinations(state.pathway!)) },
          at,
        );
        const discharged = outcome.events.find((e) => e.type === 'PatientDischarged')?.data as {
          followUpDueOn: LondonDate | null;
        };
        if (!discharged.followUpDueOn) return [];
        const due = startOfLondonDay(discharged.followUpDueOn).getTime();
        const followUps: Step[] = [
          { at: due, run: async () => (await send('RaiseNinetyOneDayFollowUp', { caseId }, due, system), []) },
        ];
        if (rng.chance(0.85)) {
          const when = second(due + rng.int(1, 14 * 24 * 60) * MINUTE);
          const result = rng.weighted([
            ['at-home', 65],
            ['in-hospital', 8],
            ['in-care-home', 10],
            ['died', 10],
            ['not-contactable', 7],
          ]);
          followUps.push({ at: when, run: async () => (await send('RecordNinetyOneDayFollowUp', { caseId, result }, when), []) });
        }
        return followUps;
      },
    });

    /** One thing happening on the case: CTR, delays, a reset, a pathway change. */
    const middle = (at: number): Step => ({
      at,
      run: async () => {
        const now = today(at);
        if (state.nctrFrom === null) {
          const earliest = state.lastMetAgain ?? state.admittedOn;
          let from = addLondonDays(now, -rng.int(0, 2));
          if (from < earliest) from = earliest;
          await send('RecordCriteriaToResideNotMet', { caseId, from }, at, rng.chance(0.5) ? wardOf(trust) : hub);
          state.nctrFrom = from;
        } else {
          const roll = rng.next();
          if (roll < 0.12 && state.resets < 2) {
            let on = addLondonDays(now, -rng.int(0, 1));
            if (on < state.nctrFrom) on = state.nctrFrom;
            await send('RecordCriteriaToResideMetAgain', { caseId, on }, at);
            state.nctrFrom = null;
            state.lastMetAgain = on;
            state.delays = [];
            state.resets += 1;
          } else if (roll < 0.55 && state.delays.length < 3) {
            const reason = rng.pick(reasons.filter((r) => !state.delays.some((d) => d.reason === r)));
            const id = `d${++state.delayNo}`;
            const makePrimary = state.delays.length > 0 && rng.chance(0.3);
            await send('OpenDelay', { caseId, delayId: id, reasonCode: reason, reasonVersion: version, makePrimary }, at);
            if (state.delays.length === 0 || makePrimary) state.delays.forEach((d) => (d.primary = false));
            state.delays.push({ id, reason, primary: state.delays.length === 0 || makePrimary });
          } else if (roll < 0.7 && state.delays.length > 1) {
            const other = rng.pick(state.delays.filter((d) => !d.primary));
            await send('MakeDelayPrimary', { caseId, delayId: other.id }, at);
            state.delays.forEach((d) => (d.primary = d.id === other.id));
          } else if (roll < 0.85 && state.delays.length > 0) {
            const closing = rng.pick(state.delays);
            const others = state.delays.filter((d) => d.id !== closing.id);
            const next = closing.primary && others.length > 1 && rng.chance(0.5) ? rng.pick(others) : undefined;
            await send('CloseDelay', { caseId, delayId: closing.id, ...(next && { nextPrimaryDelayId: next.id }) }, at);
            state.delays = others;
            if (closing.primary && others.length > 0) (next ?? others[0]).primary = true;
          } else if (state.pathway !== null && rng.chance(0.5)) {
            await assign(at, rng.pick([0, 1, 2, 3].filter((p) => p !== state.pathway)));
          }
        }
        actions -= 1;
        const next = after(at, 20, 36 * 60);
        return [actions > 0 ? middle(next) : end(next)];
      },
    });

    return {
      at: t0,
      run: async () => {
        const now = today(t0);
        state.admittedOn = addLondonDays(now, -rng.int(0, 6));
        await send(
          'SubmitReferral',
          {
            caseId,
            patientId,
            hospital: trust,
            ward: rng.pick(hospital.wards).code,
            admittedOn: state.admittedOn,
            area: rng.pick(areas),
            usualResidence: rng.pick(['own-home', 'own-home', 'care-home', 'extra-care']),
            ageBand,
            proposedPathway: rng.weighted(pathwayWeights),
            needs: {
              mobility: 'walking-aid',
              cognition: 'no-concerns',
              careHoursPerWeek: 7,
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
          rng.chance(0.7) ? wardOf(trust) : hub,
        );
        const response = rng.weighted([
          ['accept', 82],
          ['return', 6],
          ['none', 12],
        ] as const);
        const respondAt = second(t0 + rng.int(1, 40) * MINUTE + rng.int(0, 59) * 1000);
        if (response === 'return') {
          return [
            {
              at: respondAt,
              run: async () => (await send('ReturnReferral', { caseId, reason: 'ward-led-simple-discharge' }, respondAt), []),
            },
          ];
        }
        const assignAt = second(respondAt + rng.int(0, 50) * MINUTE);
        const next: Step[] = [];
        if (response === 'accept')
          next.push({ at: respondAt, run: async () => (await send('AcceptReferral', { caseId }, respondAt), []) });
        // A fifth go home the same day without an NCTR period (blank DRD).
        const sameDay = rng.chance(0.2);
        next.push({
          at: assignAt + 1000,
          run: async () => {
            if (rng.chance(0.9)) await assign(assignAt + 1000, rng.weighted(pathwayWeights));
            const at = after(assignAt, 30, 8 * 60);
            return [sameDay && fate === 'discharge' ? end(at) : middle(at)];
          },
        });
        return next;
      },
    };
  };

  // Referrals: `perDay` per London day, at any time of day, including the hour either side of midnight and of
  // the clock changes.
  for (const segment of HISTORY_SEGMENTS) {
    for (let d = segment.first; d <= segment.last; d = addLondonDays(d, 1)) {
      const start = startOfLondonDay(d).getTime();
      const length = startOfLondonDay(addLondonDays(d, 1)).getTime() - start;
      for (let i = 0; i < perDay; i++) {
        const offset = rng.chance(0.15) ? rng.pick([5, 25, 55, 65, 90, length / MINUTE - 20]) * MINUTE : rng.next() * length;
        schedule(caseProcess(second(start + offset)));
      }
      schedule(feedDay(d));
    }
  }

  function feedDay(date: LondonDate): Step {
    const at = startOfLondonDay(addLondonDays(date, 1)).getTime() + 7 * HOUR;
    const spring = date < '2026-06-01';
    return {
      at,
      run: async () => {
        for (const trust of referenceData.contents.trusts) {
          // Spring: both trusts every day for the first fortnight, then now and then; autumn: RH5 only.
          const reports = spring ? londonDaysBetween('2026-03-01', date) < 14 || rng.chance(0.7) : trust.odsCode === 'RH5';
          if (!reports) continue;
          const rows = () =>
            hospitals
              .filter((h) => h.trustOdsCode === trust.odsCode)
              .flatMap((h) =>
                [0, 1, 2, 3].flatMap((pathway) =>
                  Array.from({ length: rng.int(0, 3) }, () => ({
                    site: h.siteOdsCode,
                    pathway,
                    destination: rng.pick(destinations(pathway)),
                    ageBand: rng.pick(ageBands),
                    area: rng.pick(areas),
                    count: pathway === 0 ? rng.int(1, 25) : rng.int(0, 4),
                  })),
                ),
              );
          await send('ReportAcuteDischarges', { trust: trust.odsCode, date, rows: rows(), source: 'csv' }, at);
          if (rng.chance(0.15)) {
            await send('ReportAcuteDischarges', { trust: trust.odsCode, date, rows: rows(), source: 'csv' }, at + 6 * HOUR);
          }
          if (rng.chance(0.3)) {
            const nctrRows = hospitals
              .filter((h) => h.trustOdsCode === trust.odsCode)
              .flatMap((h) =>
                Array.from({ length: rng.int(1, 6) }, () => ({
                  site: h.siteOdsCode,
                  pathway: rng.pick([0, 1, 2, 3]),
                  drd: addLondonDays(date, -rng.int(0, 25)),
                  primaryDelayCode: rng.pick(reasons),
                  delayListVersion: version,
                  ageBand: rng.pick(ageBands),
                  area: rng.pick(areas),
                  count: rng.int(1, 9),
                })),
              );
            await send('ReportNctrList', { trust: trust.odsCode, snapshotDate: date, rows: nctrRows, source: 'csv' }, at + HOUR);
          }
        }
        return [];
      },
    };
  }

  // Run in simulated time order; ties keep scheduling order. Steps return the steps they start.
  await timeline.run(clock);
  return summary;
}
