import type { RecordedEvent } from '@app/event-sourcing';
import {
  criteriaToResideMetAgain,
  defaultNeeds,
  pathwayAssigned,
  patientDischarged,
  referralSubmitted,
} from '@app/discharge/testing/builders';
import { bedBoard, boardRows, longStays, openRequests, summaryOf, type BedBoardView } from './bed-board.projection';
import { bedRequestIdFor } from './process-managers';
import { reservationSteps, runReservation } from './reservation-protocol';
import { seedCommands } from './somerset-bed-base';
import { admin, CASE_ID, hub, metadata } from './testing/builders';
import { fromDischarge, InMemoryBedBase } from './testing/in-memory-bed-base';

/** Folds every bed-base event the world wrote, in global order, as the engine would. */
const viewOf = (world: InMemoryBedBase): BedBoardView =>
  [...world.streams.values()]
    .flat()
    .filter((event) => bedBoard.categories.includes(event.streamId.split('-')[0]))
    .sort((a, b) => Number(a.position) - Number(b.position))
    .reduce((view, event) => bedBoard.evolve(view, event as unknown as RecordedEvent), bedBoard.initial());

const seeded = () => {
  const world = new InMemoryBedBase();
  for (const command of seedCommands(metadata(admin, '2026-11-01T09:00:00.000Z'))) world.run(command);
  return world;
};

const withRequest = (world: InMemoryBedBase) => {
  world.deliver([fromDischarge(referralSubmitted({ area: 'MENDIP', needs: defaultNeeds() }))]);
  const assigned = fromDischarge(pathwayAssigned({ pathway: 2, bedCategory: 'rehab' }), '2026-11-23T10:00:00.000Z');
  world.deliver([assigned]);
  return bedRequestIdFor(assigned);
};

const reserve = (world: InMemoryBedBase, requestId: string, bedId: string, at = '2026-11-23T11:00:00.000Z') =>
  runReservation(
    reservationSteps({ requestId, caseId: CASE_ID, bedId, reservationId: `res-${bedId}` }, metadata(hub, at)),
    async (c) => world.run(c),
  );

describe('bed-board projection', () => {
  it('given the seed, every commissioned bed is on the board: escalation beds stood down, the rest open', () => {
    const view = viewOf(seeded());
    const rows = boardRows(view, true);
    expect(rows).toHaveLength(156);
    const stoodDown = rows.filter((r) => r.status === 'stood-down');
    expect(stoodDown.length).toBeGreaterThan(0);
    expect(stoodDown.every((r) => r.escalation && r.tier === 4)).toBe(true);
    expect(rows.filter((r) => r.status === 'open')).toHaveLength(156 - stoodDown.length);
    expect(rows[0]).toMatchObject({ status: expect.any(String), since: '2026-11-01T09:00:00.000Z', caseId: null });
    const summary = summaryOf(view, '2026-11-23T12:00:00.000Z');
    expect(summary.total).toMatchObject({
      commissioned: 156,
      stoodDown: stoodDown.length,
      open: 156 - stoodDown.length,
      available: 156 - stoodDown.length,
      occupied: 0,
      occupancy: 0,
    });
    expect(Object.keys(summary.bySite)).toHaveLength(21);
    expect(Object.keys(summary.byArea)).toEqual(['MENDIP', 'SEDGEMOOR', 'SOMERSET_WEST_AND_TAUNTON', 'SOUTH_SOMERSET']);
    expect(Object.keys(summary.byTier)).toEqual(['1', '2', '3', '4']);
  });

  it('given a reservation, the bed is reserved for the case (hub only) and the open request shows the hold and its age', async () => {
    const world = seeded();
    const requestId = withRequest(world);
    await reserve(world, requestId, 'FROME-CH-01');
    const view = viewOf(world);
    expect(boardRows(view, true).find((r) => r.bedId === 'FROME-CH-01')).toMatchObject({
      status: 'reserved',
      since: '2026-11-23T11:00:00.000Z',
      caseId: CASE_ID,
      requestId,
      reservationExpiresAt: '2026-11-24T11:00:00.000Z',
    });
    expect(boardRows(view, false).find((r) => r.bedId === 'FROME-CH-01')).not.toHaveProperty('caseId');
    expect(openRequests(view, '2026-11-24T16:30:00.000Z')).toEqual([
      expect.objectContaining({
        requestId,
        caseId: CASE_ID,
        pathway: 2,
        bedCategory: 'rehab',
        area: 'MENDIP',
        ageHours: 30,
        reservation: { bedId: 'FROME-CH-01', reservationId: 'res-FROME-CH-01', expiresAt: '2026-11-24T11:00:00.000Z' },
      }),
    ]);
    expect(summaryOf(view, '2026-11-23T12:00:00.000Z').bySite['FROME-CH']).toMatchObject({ reserved: 1 });
  });

  it('given an admission, the bed is occupied, the request leaves the list, and a stay of 21 London days is long', async () => {
    const world = seeded();
    const requestId = withRequest(world);
    await reserve(world, requestId, 'FROME-CH-01');
    world.deliver([fromDischarge(patientDischarged({ pathway: 2, dischargedAt: '2026-11-23T15:00:00.000Z' }))]);
    const view = viewOf(world);
    expect(boardRows(view, true).find((r) => r.bedId === 'FROME-CH-01')).toMatchObject({
      status: 'occupied',
      since: '2026-11-23T15:00:00.000Z',
      caseId: CASE_ID,
    });
    expect(openRequests(view, '2026-11-24T00:00:00.000Z')).toEqual([]);
    expect(longStays(view, '2026-12-13T23:00:00.000Z')).toEqual([]);
    expect(longStays(view, '2026-12-14T09:00:00.000Z')).toEqual([
      expect.objectContaining({ bedId: 'FROME-CH-01', siteId: 'FROME-CH', caseId: CASE_ID, days: 21 }),
    ]);
    const summary = summaryOf(view, '2026-12-14T09:00:00.000Z');
    expect(summary.total.occupied).toBe(1);
    expect(summary.longStays).toEqual({ thresholdDays: 21, count: 1 });
    expect(JSON.stringify(summary)).not.toContain(CASE_ID);
  });

  it('given a site closed to admissions, its free beds are site-closed since the closure and still counted; a held bed stays reserved', async () => {
    const world = seeded();
    const requestId = withRequest(world);
    await reserve(world, requestId, 'SHEPTON-CH-01');
    world.run({
      type: 'CloseSiteToAdmissions',
      data: { siteId: 'SHEPTON-CH', reason: 'outbreak' },
      metadata: metadata(hub, '2026-11-23T12:00:00.000Z'),
    });
    const view = viewOf(world);
    const rows = boardRows(view, true).filter((r) => r.siteId === 'SHEPTON-CH');
    expect(rows.map((r) => r.status)).toEqual(['reserved', ...Array(rows.length - 1).fill('site-closed')]);
    expect(rows[1]).toMatchObject({ since: '2026-11-23T12:00:00.000Z', closureReason: 'outbreak' });
    expect(summaryOf(view, '2026-11-23T12:00:00.000Z').bySite['SHEPTON-CH']).toMatchObject({
      commissioned: rows.length,
      open: rows.length,
      reserved: 1,
      siteClosed: rows.length - 1,
      available: 0,
      closedToAdmissions: 'outbreak',
    });
  });

  it('given CTR met again, the request leaves the list and the bed is free again', async () => {
    const world = seeded();
    const requestId = withRequest(world);
    await reserve(world, requestId, 'FROME-CH-01');
    world.deliver([fromDischarge(criteriaToResideMetAgain())]);
    const view = viewOf(world);
    expect(openRequests(view, '2026-11-24T00:00:00.000Z')).toEqual([]);
    expect(boardRows(view, true).find((r) => r.bedId === 'FROME-CH-01')).toMatchObject({ status: 'open', caseId: null });
  });
});
