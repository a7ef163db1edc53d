import type { RecordedEvent } from '@app/event-sourcing';
import { reservationDeadlineId, reservationExpiryRule } from './deadlines';
import { reservationSteps } from './reservation-protocol';
import {
  bedCommissioned,
  bedReservationExpired,
  bedReservationReleased,
  bedReserved,
  EXPIRES_AT,
  hub,
  metadata,
  patientAdmitted,
  RESERVATION_ID,
} from './testing/builders';

const recorded = (event: { type: string; data: unknown }): RecordedEvent => ({
  id: 'event-1',
  type: event.type,
  schemaVersion: 1,
  streamId: 'bed-FROME-CH-01',
  revision: 1,
  position: 1n,
  occurredAt: '2026-11-23T10:00:00.000Z',
  recordedAt: '2026-11-23T10:00:00.000Z',
  data: event.data,
  metadata: { correlationId: 'corr-1', causationId: 'cause-1', actor: hub },
});

describe('reservationExpiryRule', () => {
  it('schedules the expiry at expiresAt, as a plain-data command from the scheduler', () => {
    const effect = reservationExpiryRule.effect(recorded(bedReserved()));
    expect(effect).toMatchObject({ kind: 'schedule', deadlineId: reservationDeadlineId(RESERVATION_ID), dueAt: EXPIRES_AT });
    if (effect?.kind !== 'schedule') throw new Error('not scheduled');
    const command = effect.command('2026-11-24T10:00:02.000Z');
    expect(command).toEqual({
      type: 'ExpireBedReservation',
      data: { bedId: 'FROME-CH-01', reservationId: RESERVATION_ID },
      metadata: {
        commandId: reservationDeadlineId(RESERVATION_ID),
        correlationId: 'corr-1',
        causationId: 'event-1',
        actor: { userId: 'deadline-scheduler', role: 'system', organisation: 'TOCH' },
        now: '2026-11-24T10:00:02.000Z',
      },
    });
    expect(JSON.parse(JSON.stringify(command))).toEqual(command);
  });

  it.each([bedReservationReleased(), bedReservationExpired(), patientAdmitted()])('settles it on $type', (event) =>
    expect(reservationExpiryRule.effect(recorded(event))).toEqual({
      kind: 'settle',
      deadlineId: reservationDeadlineId(RESERVATION_ID),
    }),
  );

  it('ignores other events', () => expect(reservationExpiryRule.effect(recorded(bedCommissioned()))).toBeUndefined());

  it('reads the bed category', () => expect(reservationExpiryRule.categories).toEqual(['bed']));
});

describe('reservationSteps', () => {
  const steps = reservationSteps(
    { requestId: 'request-1', caseId: 'case-1', bedId: 'FROME-CH-01', reservationId: 'res-1' },
    metadata(hub, '2026-11-23T10:00:00.000Z'),
  );

  it('holds the bed for 24 hours by default, the same expiry on both streams', () => {
    expect(steps.reserveBed.data.expiresAt).toBe('2026-11-24T10:00:00.000Z');
    expect(steps.recordReservation.data.expiresAt).toBe('2026-11-24T10:00:00.000Z');
  });

  it('gives each step its own command id, so event ids differ per stream and repeat on retry', () => {
    const ids = [steps.reserveBed, steps.recordReservation, steps.releaseBed].map((c) => c.metadata.commandId);
    expect(new Set(ids).size).toBe(3);
    expect(ids.every((id) => id.startsWith('command-1:'))).toBe(true);
  });

  it('compensates with a release that says why', () =>
    expect(steps.releaseBed.data).toEqual({ bedId: 'FROME-CH-01', reservationId: 'res-1', reason: 'request-already-reserved' }));

  it('honours a shorter hold', () =>
    expect(
      reservationSteps(
        { requestId: 'r', caseId: 'c', bedId: 'b', reservationId: 'v', holdHours: 4 },
        metadata(hub, '2026-11-23T10:00:00.000Z'),
      ).reserveBed.data.expiresAt,
    ).toBe('2026-11-23T14:00:00.000Z'));
});
