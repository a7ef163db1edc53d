import { bedBoard } from '@app/bed-base';
import type { RecordedEvent } from '@app/event-sourcing';
import { homeCareView } from '@app/home-care';
import { defaultReferenceDataFile, loadReferenceData } from '@app/reference-data';
import { capacityForLeader, SUPPRESSED } from '../kpis/for-leader';
import { capacityKpis, capacityKpisOn, type CapacityKpisView } from './capacity-kpis';

const referenceData = loadReferenceData(defaultReferenceDataFile());

let position = 0n;
const revisions = new Map<string, number>();
const event = (streamId: string, type: string, data: Record<string, unknown>): RecordedEvent => {
  const revision = (revisions.get(streamId) ?? -1) + 1;
  revisions.set(streamId, revision);
  position += 1n;
  return {
    id: `e${position}`,
    type,
    schemaVersion: 1,
    streamId,
    revision,
    position,
    occurredAt: '2026-01-01T00:00:00.000Z',
    recordedAt: '2026-01-01T00:00:00.000Z',
    data,
    metadata: { correlationId: 'c', actor: { userId: 'u', role: 'hub', organisation: 'TOCH' } } as RecordedEvent['metadata'],
  };
};

const opened = (requestId: string, openedAt: string) =>
  event(`bedRequest-${requestId}`, 'BedRequestOpened', {
    requestId,
    caseId: `case-${requestId}`,
    origin: 'hospital-discharge',
    pathway: 2,
    bedCategory: 'rehab',
    area: 'MENDIP',
    needs: {},
    openedAt,
  });
const admitted = (requestId: string, admittedAt: string) =>
  event(`bed-b-${requestId}`, 'PatientAdmitted', {
    bedId: `b-${requestId}`,
    siteId: 's',
    requestId,
    reservationId: `r-${requestId}`,
    caseId: `case-${requestId}`,
    admittedAt,
  });
const pkg = (packageId: string, type: string, data: Record<string, unknown>) =>
  event(`homeCarePackage-${packageId}`, type, { packageId, ...data });

describe('capacity KPIs (bed starts, D2A request to start and outcomes, parked messages)', () => {
  const facts: CapacityKpisView = [
    // Opened 29 Mar 23:30 BST, admitted 31 Mar 10:00: 2 London days, within.
    opened('a', '2026-03-29T22:30:00Z'),
    admitted('a', '2026-03-31T09:00:00Z'),
    // Opened 28 Mar 00:30 GMT, admitted 31 Mar: 3 days, outside.
    opened('b', '2026-03-28T00:30:00Z'),
    admitted('b', '2026-03-31T12:00:00Z'),
    opened('c', '2026-03-30T08:00:00Z'),
    opened('d', '2026-03-30T09:00:00Z'),
    event('bedRequest-d', 'BedRequestClosed', {
      requestId: 'd',
      caseId: 'case-d',
      reason: 'case-withdrawn',
      releasedReservation: null,
      closedAt: '2026-03-30T10:00:00Z',
    }),
    pkg('p1', 'PackageRequested', {
      origin: 'hospital-discharge',
      area: 'MENDIP',
      hoursPerWeek: 7,
      requestedAt: '2026-03-29T23:30:00Z',
    }),
    pkg('p1', 'PackageAccepted', { providerId: 'PRV-X' }),
    pkg('p1', 'PackageStarted', { providerId: 'PRV-X', startedOn: '2026-03-31' }),
    pkg('p1', 'PackageEnded', {
      providerId: 'PRV-X',
      outcome: 'no-ongoing-needs',
      startedOn: '2026-03-31',
      endedOn: '2026-03-31',
    }),
    pkg('p2', 'PackageRequested', {
      origin: 'hospital-discharge',
      area: 'MENDIP',
      hoursPerWeek: 7,
      requestedAt: '2026-03-30T10:00:00Z',
    }),
    pkg('p2', 'PackageRequestCancelled', { reason: 'patient-died', committedOffer: null, cancelledAt: '2026-03-31T10:00:00Z' }),
    event('parkedMessage-x', 'MessageParked', {
      parkedId: 'x',
      processManager: 'bed-base-requests',
      eventId: 'e',
      eventType: 'BedRequestReservationRecorded',
      streamId: 'bedRequest-a',
      command: { type: 'ArrangePlacement' },
      reason: { code: 'PLACEMENT_DOES_NOT_FIT_PATHWAY', message: 'no' },
      parkedAt: '2026-03-30T10:00:00Z',
    }),
    event('parkedMessage-y', 'MessageParked', {
      parkedId: 'y',
      processManager: 'home-care-packages',
      eventId: 'e2',
      eventType: 'PackageAccepted',
      streamId: 'homeCarePackage-p1',
      command: { type: 'ArrangePlacement' },
      reason: { code: 'CASE_CLOSED', message: 'no' },
      parkedAt: '2026-03-30T11:00:00Z',
    }),
    event('parkedMessage-y', 'ParkedMessageDismissed', { parkedId: 'y', note: 'ok', dismissedAt: '2026-03-30T12:00:00Z' }),
  ].reduce((view, e) => capacityKpis.evolve(view, e), capacityKpis.initial());
  const views = { board: bedBoard.initial(), home: homeCareView.initial(), facts };
  const kpis = capacityKpisOn(views, '2026-03-31', '2026-03-31T20:00:00Z', referenceData);

  it('measures bed starts by the request date against the 2-calendar-day service level', () => {
    expect(kpis.bedBase.bedStart.today).toMatchObject({ measured: 0, waiting: 0 });
    expect(kpis.bedBase.bedStart.monthToDate).toMatchObject({
      measured: 2,
      withinLimit: 1,
      share: 50,
      waiting: 1,
      closedWithoutAdmission: 1,
      limit: { amount: 2, unit: 'london-calendar-days' },
    });
    expect(kpis.bedBase.openRequests).toEqual({ total: 1, byOrigin: { 'hospital-discharge': 1 } });
  });

  // Requested 30 Mar 00:30 BST (29 Mar 23:30 UTC), started 31 Mar: 1 London day.
  it('counts D2A request-to-start days, outcomes and cancellations by their London dates', () => {
    expect(kpis.d2a.requestToStart.today).toMatchObject({ count: 1, totalDays: 1, meanDays: 1, withinTarget: 1 });
    expect(kpis.d2a.outcomes.today).toMatchObject({
      ended: 1,
      byOutcome: { 'no-ongoing-needs': 1 },
      cancelled: 1,
      byCancellationReason: { 'patient-died': 1 },
    });
  });

  it('lists parked messages still parked, and counts the dismissed', () => {
    expect(kpis.parkedMessages).toMatchObject({
      count: 1,
      dismissed: 1,
      resolved: 0,
      byProcessManager: { 'bed-base-requests': 1 },
    });
    expect(kpis.parkedMessages.list.map((p) => p.parkedId)).toEqual(['x']);
  });

  it('gives leaders counts of people suppressed and no lists', () => {
    const leader = capacityForLeader(kpis, referenceData);
    expect(leader.bedBase!.bedStart.monthToDate).toMatchObject({ measured: SUPPRESSED, share: SUPPRESSED });
    expect(leader.d2a!.outcomes.today.ended).toBe(SUPPRESSED);
    expect(leader.parkedMessages).toEqual(expect.not.objectContaining({ list: expect.anything() }));
    expect(leader.bedBase!.longStays).toEqual({ thresholdDays: 21, count: 0 });
    expect(JSON.stringify(leader)).not.toContain('case-');
  });
});
