import type { CommandMetadata, RecordedEvent } from '@app/event-sourcing';
import type { DeadlineRule } from '@app/platform/deadlines/deadline';
import type { BedEvent, ExpireBedReservation } from './bed';

export const RESERVATION_EXPIRY_RULE = 'bed-reservation-expiry';

export const reservationDeadlineId = (reservationId: string): string => `${RESERVATION_EXPIRY_RULE}:${reservationId}`;

const SCHEDULER = { userId: 'deadline-scheduler', role: 'system', organisation: 'TOCH' } as const;

/**
 * A reservation expires at its `expiresAt` unless released, expired or taken up first. The command id is
 * the deadline's, so a second firing writes the same event ids, and the bed decides nothing for a
 * reservation it no longer holds.
 */
export const reservationExpiryRule: DeadlineRule<ExpireBedReservation> = {
  name: RESERVATION_EXPIRY_RULE,
  categories: ['bed'],
  effect: (recorded: RecordedEvent) => {
    const event = recorded as unknown as RecordedEvent & BedEvent;
    switch (event.type) {
      case 'BedReserved': {
        const { bedId, reservationId, expiresAt } = event.data;
        const deadlineId = reservationDeadlineId(reservationId);
        return {
          kind: 'schedule',
          deadlineId,
          dueAt: expiresAt,
          command: (firedAt: string): ExpireBedReservation => {
            const metadata: CommandMetadata = {
              commandId: deadlineId,
              correlationId: recorded.metadata.correlationId,
              causationId: recorded.id,
              actor: { ...SCHEDULER },
              now: firedAt,
            };
            return { type: 'ExpireBedReservation', data: { bedId, reservationId }, metadata };
          },
        };
      }
      case 'BedReservationReleased':
      case 'BedReservationExpired':
      case 'PatientAdmitted':
        return { kind: 'settle', deadlineId: reservationDeadlineId(event.data.reservationId) };
      default:
        return undefined;
    }
  },
};
