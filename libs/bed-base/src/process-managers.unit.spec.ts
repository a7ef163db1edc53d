import {
  caseWithdrawn,
  criteriaToResideMetAgain,
  criteriaToResideNotMet,
  defaultNeeds,
  pathwayAssigned,
  patientDischarged,
  referralSubmitted,
} from '@app/discharge/testing/builders';
import { bedRequestIdFor, DISCHARGE_PM, reactToBedBase, reactToDischarge, REQUESTS_PM } from './process-managers';
import { bedRequestStreamOf } from './bed-request';
import { bedStreamOf } from './bed';
import { caseBedRequestsStreamOf } from './case-bed-requests';
import { reservationSteps, runRelease, releaseSteps, runReservation } from './reservation-protocol';
import { seedCommands } from './somerset-bed-base';
import { admin, bedNeeds, CASE_ID, hub, metadata, scheduler } from './testing/builders';
import { fromDischarge, InMemoryBedBase } from './testing/in-memory-bed-base';

const dataOf = (commands: ReturnType<typeof reactToDischarge>) => commands.map((c) => ({ type: c.type, data: c.data }));

describe('bed-base-discharge: reactions to the case', () => {
  it('records the referral’s area and bed needs (hoist from mobility, bariatric, side room, bay sex)', () => {
    const needs = defaultNeeds({
      mobility: 'hoist',
      equipment: ['oxygen'],
      specialist: {
        bariatric: true,
        dementia: false,
        endOfLife: false,
        opmh: true,
        sideRoom: true,
        sexForBayAllocation: 'female',
      },
    });
    expect(dataOf(reactToDischarge(fromDischarge(referralSubmitted({ area: 'MENDIP', needs }))))).toEqual([
      {
        type: 'RecordCaseBedNeeds',
        data: {
          caseId: CASE_ID,
          area: 'MENDIP',
          needs: bedNeeds({
            capabilities: ['bariatric', 'hoist', 'side-room', 'oxygen'],
            sexForBayAllocation: 'female',
            opmh: true,
          }),
        },
      },
    ]);
  });

  it.each([
    [2, 'rehab'],
    [2, 'end-of-life'],
    [3, 'nursing'],
  ] as const)('P%s %s assigned → raise a bed request whose id derives from the event', (pathway, bedCategory) => {
    const event = fromDischarge(pathwayAssigned({ pathway, bedCategory }));
    const [command] = reactToDischarge(event);
    expect(command).toMatchObject({
      type: 'RaiseBedRequest',
      data: { caseId: CASE_ID, requestId: bedRequestIdFor(event), pathway, bedCategory },
      metadata: { causationId: event.id, actor: { role: 'system', userId: `pm:${DISCHARGE_PM}` }, now: event.occurredAt },
    });
  });

  it('is pure: the same event gives the same commands; another assignment gives another request id', () => {
    const event = fromDischarge(pathwayAssigned({ pathway: 2 }));
    expect(reactToDischarge(event)).toEqual(reactToDischarge(event));
    expect(bedRequestIdFor(fromDischarge(pathwayAssigned({ pathway: 2 })))).not.toEqual(bedRequestIdFor(event));
  });

  it.each<[string, ReturnType<typeof fromDischarge>, string]>([
    ['a pathway change away from P2', fromDischarge(pathwayAssigned({ pathway: 1, previousPathway: 2 })), 'pathway-changed'],
    ['a pathway change away from P3', fromDischarge(pathwayAssigned({ pathway: 0, previousPathway: 3 })), 'pathway-changed'],
    ['a withdrawal on P2', fromDischarge(caseWithdrawn({ pathway: 2 })), 'case-withdrawn'],
    ['a death on P3', fromDischarge(caseWithdrawn({ pathway: 3, reason: 'died' })), 'patient-died'],
    ['meeting the criteria to reside again', fromDischarge(criteriaToResideMetAgain()), 'criteria-to-reside-met-again'],
  ])('%s → end the case’s bed request', (_what, event, reason) =>
    expect(dataOf(reactToDischarge(event))).toEqual([{ type: 'EndCaseBedRequest', data: { caseId: CASE_ID, reason } }]),
  );

  it('a new NCTR period → ask the index to renew the request, with an id derived from that event', () => {
    const event = fromDischarge(criteriaToResideNotMet());
    expect(dataOf(reactToDischarge(event))).toEqual([
      { type: 'RenewBedRequest', data: { caseId: CASE_ID, requestId: bedRequestIdFor(event) } },
    ]);
  });

  it.each([0, 1, 2, 3] as const)('a discharge on P%s → the index decides: admit (P2/P3) or close (elsewhere)', (pathway) =>
    expect(dataOf(reactToDischarge(fromDischarge(patientDischarged({ pathway }))))).toEqual([
      { type: 'NoteCaseDischarge', data: { caseId: CASE_ID, pathway, dischargedAt: '2026-11-23T10:00:00.000Z' } },
    ]),
  );

  it.each<[string, ReturnType<typeof fromDischarge>]>([
    ['P1 assigned first', fromDischarge(pathwayAssigned({ pathway: 1 }))],
    ['P0 → P1', fromDischarge(pathwayAssigned({ pathway: 1, previousPathway: 0 }))],
    ['a withdrawal on P1', fromDischarge(caseWithdrawn({ pathway: 1 }))],
    ['an unrelated event', fromDischarge({ type: 'DelayOpened', data: { caseId: CASE_ID } })],
  ])('ignores %s', (_what, event) => expect(reactToDischarge(event)).toEqual([]));
});

describe('bed-base-requests: reactions to bed-base’s own events', () => {
  const own = (type: string, data: object) => fromDischarge({ type, data: { caseId: CASE_ID, ...data } });

  it.each<[string, object, string, object]>([
    [
      'BedRequestClosed',
      { requestId: 'r', releasedReservation: { bedId: 'b', reservationId: 'v' } },
      'ReleaseBed',
      { bedId: 'b', reservationId: 'v', reason: 'request-closed' },
    ],
    [
      'BedRequestFulfilled',
      { requestId: 'r', bedId: 'b', reservationId: 'v', admittedAt: 't' },
      'AdmitPatient',
      { bedId: 'b', requestId: 'r', reservationId: 'v', caseId: CASE_ID, admittedAt: 't' },
    ],
    [
      'BedRequestReservationRecorded',
      { requestId: 'r', bedId: 'b', reservationId: 'v', origin: 'hospital-discharge' },
      'ArrangePlacement',
      { caseId: CASE_ID, source: 'bed-reservation', sourceId: 'v' },
    ],
    [
      'BedReservationExpired',
      { requestId: 'r', reservationId: 'v' },
      'EndReservation',
      { requestId: 'r', reservationId: 'v', reason: 'expired' },
    ],
    [
      'BedReservationReleased',
      { requestId: 'r', reservationId: 'v', reason: 'released-by-hub' },
      'EndReservation',
      { requestId: 'r', reservationId: 'v', reason: 'released' },
    ],
    [
      'CaseBedRequestEnded',
      { requestId: 'r', reason: 'case-withdrawn' },
      'CloseBedRequest',
      { requestId: 'r', reason: 'case-withdrawn' },
    ],
    ['CaseDischargedToBed', { requestId: 'r', dischargedAt: 't' }, 'RecordDischargeToBed', { requestId: 'r', dischargedAt: 't' }],
  ])('%s → %s', (type, data, commandType, commandData) =>
    expect(reactToBedBase(own(type, data))).toEqual([
      expect.objectContaining({
        type: commandType,
        data: commandData,
        metadata: expect.objectContaining({ actor: expect.objectContaining({ userId: `pm:${REQUESTS_PM}` }) }),
      }),
    ]),
  );

  it.each<[string, object]>([
    ['a closure with nothing reserved', { type: 'BedRequestClosed', requestId: 'r', releasedReservation: null }],
    [
      'a community request’s reservation (no case to arrange)',
      { type: 'BedRequestReservationRecorded', origin: 'community-referral' },
    ],
    ['a release that followed the request’s closure', { type: 'BedReservationReleased', reason: 'request-closed' }],
    ['a compensated hold', { type: 'BedReservationReleased', reason: 'request-already-reserved' }],
    ['the bed being reserved (the request confirms it)', { type: 'BedReserved' }],
  ])('ignores %s', (_what, { type, ...data }: { type?: string }) =>
    expect(reactToBedBase(own(type as string, data))).toEqual([]),
  );
});

describe('end to end over in-memory streams', () => {
  const seeded = () => {
    const world = new InMemoryBedBase();
    for (const command of seedCommands(metadata(admin))) world.run(command);
    return world;
  };
  const referred = (world: InMemoryBedBase) =>
    world.deliver([fromDischarge(referralSubmitted({ area: 'MENDIP', needs: defaultNeeds({ mobility: 'hoist' }) }))]);
  const assignP2 = (world: InMemoryBedBase, over: Parameters<typeof pathwayAssigned>[0] = {}) => {
    const event = fromDischarge(pathwayAssigned({ pathway: 2, bedCategory: 'rehab', ...over }));
    world.deliver([event]);
    return bedRequestIdFor(event);
  };
  const reserve = (
    world: InMemoryBedBase,
    requestId: string,
    bedId: string,
    reservationId: string,
    at = '2026-11-23T11:00:00.000Z',
  ) =>
    runReservation(reservationSteps({ requestId, caseId: CASE_ID, bedId, reservationId }, metadata(hub, at)), async (c) =>
      world.run(c),
    );

  it('P2 assigned → request opened with the referral’s needs; reserved → placement arranged; discharged → admitted; left → free', async () => {
    const world = seeded();
    referred(world);
    const requestId = assignP2(world);
    expect(world.streams.get(bedRequestStreamOf(requestId))?.[0]).toMatchObject({
      type: 'BedRequestOpened',
      data: { caseId: CASE_ID, area: 'MENDIP', needs: { capabilities: ['hoist'] } },
    });
    expect(await reserve(world, requestId, 'FROME-CH-01', 'res-1')).toEqual({
      outcome: 'reserved',
      expiresAt: '2026-11-24T11:00:00.000Z',
    });
    expect(world.external).toEqual([
      expect.objectContaining({
        type: 'ArrangePlacement',
        data: { caseId: CASE_ID, source: 'bed-reservation', sourceId: 'res-1' },
      }),
    ]);
    world.deliver([fromDischarge(patientDischarged({ pathway: 2, dischargedAt: '2026-11-23T15:00:00.000Z' }))]);
    expect(world.typesOf(bedStreamOf('FROME-CH-01'))).toEqual(['BedCommissioned', 'BedReserved', 'PatientAdmitted']);
    expect(world.typesOf(bedRequestStreamOf(requestId))).toEqual([
      'BedRequestOpened',
      'BedRequestReservationRecorded',
      'BedRequestFulfilled',
    ]);
    world.run({
      type: 'RecordPatientLeftBed',
      data: { bedId: 'FROME-CH-01', outcome: 'home' },
      metadata: metadata(hub, '2026-12-01T10:00:00.000Z'),
    });
    expect(world.typesOf(bedStreamOf('FROME-CH-01')).at(-1)).toBe('PatientLeftBed');
    expect(world.parked).toEqual([]);
  });

  it.each<[string, ReturnType<typeof fromDischarge>, string]>([
    ['withdrawal', fromDischarge(caseWithdrawn({ pathway: 2 })), 'case-withdrawn'],
    ['CTR met again', fromDischarge(criteriaToResideMetAgain()), 'criteria-to-reside-met-again'],
    ['pathway change away', fromDischarge(pathwayAssigned({ pathway: 1, previousPathway: 2 })), 'pathway-changed'],
    ['discharge elsewhere', fromDischarge(patientDischarged({ pathway: 1 })), 'discharged-elsewhere'],
  ])('compensation on %s: the request closes and the bed is released', async (_what, event, reason) => {
    const world = seeded();
    referred(world);
    const requestId = assignP2(world);
    await reserve(world, requestId, 'FROME-CH-01', 'res-1');
    world.deliver([event]);
    expect(world.streams.get(bedRequestStreamOf(requestId))?.at(-1)).toMatchObject({
      type: 'BedRequestClosed',
      data: { reason },
    });
    expect(world.streams.get(bedStreamOf('FROME-CH-01'))?.at(-1)).toMatchObject({
      type: 'BedReservationReleased',
      data: { reason: 'request-closed', reservationId: 'res-1' },
    });
    expect(world.parked).toEqual([]);
  });

  it('P2 → P1 → P2 opens a new request each time, and only the live one is open', () => {
    const world = seeded();
    referred(world);
    const first = assignP2(world);
    world.deliver([fromDischarge(pathwayAssigned({ pathway: 1, previousPathway: 2 }))]);
    const second = assignP2(world, { previousPathway: 1 });
    expect(second).not.toEqual(first);
    expect(world.typesOf(bedRequestStreamOf(first))).toEqual(['BedRequestOpened', 'BedRequestClosed']);
    expect(world.typesOf(bedRequestStreamOf(second))).toEqual(['BedRequestOpened']);
    expect(world.typesOf(caseBedRequestsStreamOf(CASE_ID))).toEqual([
      'CaseBedNeedsRecorded',
      'BedRequestRaised',
      'CaseBedRequestEnded',
      'BedRequestRaised',
    ]);
  });

  it('CTR met again closes the request; a new NCTR period on the same P2 plan opens a new one, once', () => {
    const world = seeded();
    referred(world);
    const first = assignP2(world);
    world.deliver([fromDischarge(criteriaToResideMetAgain())]);
    expect(world.typesOf(bedRequestStreamOf(first)).at(-1)).toBe('BedRequestClosed');
    const nctr = fromDischarge(criteriaToResideNotMet({ from: '2026-11-25' }));
    world.deliver([nctr]);
    world.deliver([nctr]);
    const second = bedRequestIdFor(nctr);
    expect(world.streams.get(bedRequestStreamOf(second))).toEqual([
      expect.objectContaining({
        type: 'BedRequestOpened',
        data: expect.objectContaining({ caseId: CASE_ID, pathway: 2, bedCategory: 'rehab', area: 'MENDIP' }),
      }),
    ]);
    expect(world.typesOf(caseBedRequestsStreamOf(CASE_ID))).toEqual([
      'CaseBedNeedsRecorded',
      'BedRequestRaised',
      'CaseBedRequestEnded',
      'BedRequestRaised',
    ]);
    expect(world.parked).toEqual([]);
  });

  it('CTR met again, then P1, then a new NCTR period: no request', () => {
    const world = seeded();
    referred(world);
    assignP2(world);
    world.deliver([fromDischarge(criteriaToResideMetAgain())]);
    world.deliver([fromDischarge(pathwayAssigned({ pathway: 1, previousPathway: 2 }))]);
    world.deliver([fromDischarge(criteriaToResideNotMet({ from: '2026-11-25' }))]);
    expect(world.typesOf(caseBedRequestsStreamOf(CASE_ID))).toEqual([
      'CaseBedNeedsRecorded',
      'BedRequestRaised',
      'CaseBedRequestEnded',
      'CaseBeddedPlanEnded',
    ]);
  });

  it('the first NCTR period before any pathway raises nothing', () => {
    const world = seeded();
    referred(world);
    world.deliver([fromDischarge(criteriaToResideNotMet())]);
    expect(world.typesOf(caseBedRequestsStreamOf(CASE_ID))).toEqual(['CaseBedNeedsRecorded']);
  });

  it('a redelivered PathwayAssigned opens nothing new', () => {
    const world = seeded();
    referred(world);
    const event = fromDischarge(pathwayAssigned({ pathway: 2 }));
    world.deliver([event]);
    world.deliver([event]);
    expect(world.typesOf(caseBedRequestsStreamOf(CASE_ID))).toEqual(['CaseBedNeedsRecorded', 'BedRequestRaised']);
  });

  it('a second bed for the same request is refused on the request and the hold is given back', async () => {
    const world = seeded();
    referred(world);
    const requestId = assignP2(world);
    await reserve(world, requestId, 'FROME-CH-01', 'res-1');
    const outcome = await reserve(world, requestId, 'FROME-CH-02', 'res-2');
    expect(outcome).toMatchObject({ outcome: 'request-refused', refusal: { code: 'REQUEST_ALREADY_HAS_RESERVATION' } });
    expect(world.typesOf(bedStreamOf('FROME-CH-02'))).toEqual(['BedCommissioned', 'BedReserved', 'BedReservationReleased']);
    expect(world.external).toHaveLength(1);
  });

  it('a bed already held by another request is refused on the bed and nothing is written', async () => {
    const world = seeded();
    referred(world);
    const requestId = assignP2(world);
    await reserve(world, requestId, 'FROME-CH-01', 'res-1');
    const outcome = await reserve(world, 'another-request', 'FROME-CH-01', 'res-9');
    expect(outcome).toMatchObject({ outcome: 'bed-refused', refusal: { code: 'BED_ALREADY_RESERVED' } });
  });

  it('a request closed before step 2 never holds the bed', async () => {
    const world = seeded();
    referred(world);
    const requestId = assignP2(world);
    world.deliver([fromDischarge(caseWithdrawn({ pathway: 2 }))]);
    const outcome = await reserve(world, requestId, 'FROME-CH-01', 'res-1');
    expect(outcome).toMatchObject({ outcome: 'request-refused', refusal: { code: 'BED_REQUEST_CLOSED' } });
    expect(world.typesOf(bedStreamOf('FROME-CH-01')).at(-1)).toBe('BedReservationReleased');
    expect(world.external).toEqual([]);
  });

  it('expiry on the bed is mirrored onto the request, which can then reserve again', async () => {
    const world = seeded();
    referred(world);
    const requestId = assignP2(world);
    await reserve(world, requestId, 'FROME-CH-01', 'res-1');
    world.run({
      type: 'ExpireBedReservation',
      data: { bedId: 'FROME-CH-01', reservationId: 'res-1' },
      metadata: metadata(scheduler, '2026-11-24T11:00:00.000Z'),
    });
    expect(world.typesOf(bedRequestStreamOf(requestId)).at(-1)).toBe('BedRequestReservationEnded');
    expect(await reserve(world, requestId, 'FROME-CH-02', 'res-2', '2026-11-24T12:00:00.000Z')).toMatchObject({
      outcome: 'reserved',
    });
  });

  it('the hub releases: bed, then request', async () => {
    const world = seeded();
    referred(world);
    const requestId = assignP2(world);
    await reserve(world, requestId, 'FROME-CH-01', 'res-1');
    await runRelease(releaseSteps({ requestId, bedId: 'FROME-CH-01', reservationId: 'res-1' }, metadata(hub)), async (c) =>
      world.run(c),
    );
    expect(world.typesOf(bedStreamOf('FROME-CH-01')).at(-1)).toBe('BedReservationReleased');
    expect(world.typesOf(bedRequestStreamOf(requestId)).at(-1)).toBe('BedRequestReservationEnded');
    expect(world.parked).toEqual([]);
  });

  it('a P2 discharge with no reserved bed is parked for the hub, not lost', () => {
    const world = seeded();
    referred(world);
    assignP2(world);
    world.deliver([fromDischarge(patientDischarged({ pathway: 2 }))]);
    expect(world.parked.map((p) => p.refusal.code)).toEqual(['NO_RESERVATION_TO_ADMIT']);
  });
});
