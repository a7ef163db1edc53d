import { DomainRefusal, type CommandMetadata } from '@app/event-sourcing';
import type { ReleaseBed, ReserveBed } from './bed';
import type { EndReservation, RecordReservation } from './bed-request';

/**
 * Reserving touches two aggregates, each the keeper of one rule and written with an expected revision:
 * the bed ("one holder per bed") and the request ("one active reservation per request").
 *
 *   1. ReserveBed on `bed-<bedId>`: the bed refuses a second holder. A refusal here ends the attempt;
 *      nothing was written.
 *   2. RecordReservation on `bedRequest-<requestId>`: the request refuses a second active reservation,
 *      and a closed or fulfilled request refuses any. If it refuses,
 *   3. compensate: ReleaseBed (reason request-already-reserved) gives the bed back.
 *
 * The bed goes first because it is the scarce thing and it carries the durable deadline: if the process
 * dies between 1 and 2 (or 2 and 3), the hold expires at `expiresAt` and nothing stays half-written for
 * longer than that. A request closed between 1 and 2 refuses step 2, so a closed request never holds a
 * bed; a request closed after 2 names the reservation on BedRequestClosed and the process manager
 * releases the bed. Every step is idempotent by reservationId, so a retried attempt converges.
 */

/** A hold is 24 hours unless the hub asks otherwise (at most MAX_RESERVATION_HOURS). */
export const DEFAULT_RESERVATION_HOURS = 24;

export interface ReservationAttempt {
  requestId: string;
  caseId: string;
  bedId: string;
  /** A new UUID per attempt (the HTTP handler takes it from the Idempotency-Key or makes one). */
  reservationId: string;
  holdHours?: number;
}

export interface ReservationSteps {
  reserveBed: ReserveBed;
  recordReservation: RecordReservation;
  /** Step 3: only when step 2 was refused. */
  releaseBed: ReleaseBed;
}

/** One command id per step, so each step's event ids are distinct and a retry writes the same ones. */
const stepMetadata = (metadata: CommandMetadata, step: string): CommandMetadata => ({
  ...metadata,
  commandId: `${metadata.commandId}:${step}`,
  causationId: metadata.causationId ?? metadata.commandId,
});

export const reservationSteps = (attempt: ReservationAttempt, metadata: CommandMetadata): ReservationSteps => {
  const { requestId, caseId, bedId, reservationId } = attempt;
  const hours = attempt.holdHours ?? DEFAULT_RESERVATION_HOURS;
  const expiresAt = new Date(Date.parse(metadata.now) + hours * 3_600_000).toISOString();
  return {
    reserveBed: {
      type: 'ReserveBed',
      data: { bedId, requestId, reservationId, caseId, expiresAt },
      metadata: stepMetadata(metadata, 'reserve-bed'),
    },
    recordReservation: {
      type: 'RecordReservation',
      data: { requestId, bedId, reservationId, expiresAt },
      metadata: stepMetadata(metadata, 'record-reservation'),
    },
    releaseBed: {
      type: 'ReleaseBed',
      data: { bedId, reservationId, reason: 'request-already-reserved' },
      metadata: stepMetadata(metadata, 'compensate-release-bed'),
    },
  };
};

export interface ReleaseSteps {
  releaseBed: ReleaseBed;
  endReservation: EndReservation;
}

/**
 * The hub lets a reservation go: the bed first (it is what others are waiting for), then the request.
 * Both are no-ops when already done, and the process manager mirrors the bed's release onto the request
 * anyway, so a failure between the two heals itself.
 */
export const releaseSteps = (
  reservation: { requestId: string; bedId: string; reservationId: string },
  metadata: CommandMetadata,
): ReleaseSteps => ({
  releaseBed: {
    type: 'ReleaseBed',
    data: { bedId: reservation.bedId, reservationId: reservation.reservationId, reason: 'released-by-hub' },
    metadata: stepMetadata(metadata, 'release-bed'),
  },
  endReservation: {
    type: 'EndReservation',
    data: { requestId: reservation.requestId, reservationId: reservation.reservationId, reason: 'released' },
    metadata: stepMetadata(metadata, 'end-reservation'),
  },
});

export type ReservationOutcome =
  | { outcome: 'reserved'; expiresAt: string }
  | { outcome: 'bed-refused'; refusal: DomainRefusal }
  | { outcome: 'request-refused'; refusal: DomainRefusal };

/**
 * Runs the steps with any dispatch (the CommandDispatcher's, in the app). Refusals come back as outcomes;
 * anything else (the store down) is thrown, and the deadline covers a hold left behind.
 */
export const runReservation = async (
  steps: ReservationSteps,
  dispatch: (command: ReserveBed | RecordReservation | ReleaseBed) => Promise<unknown>,
): Promise<ReservationOutcome> => {
  try {
    await dispatch(steps.reserveBed);
  } catch (error) {
    if (error instanceof DomainRefusal) return { outcome: 'bed-refused', refusal: error };
    throw error;
  }
  try {
    await dispatch(steps.recordReservation);
  } catch (error) {
    if (!(error instanceof DomainRefusal)) throw error;
    await dispatch(steps.releaseBed);
    return { outcome: 'request-refused', refusal: error };
  }
  return { outcome: 'reserved', expiresAt: steps.reserveBed.data.expiresAt };
};

export const runRelease = async (
  steps: ReleaseSteps,
  dispatch: (command: ReleaseBed | EndReservation) => Promise<unknown>,
): Promise<void> => {
  await dispatch(steps.releaseBed);
  await dispatch(steps.endReservation);
};
