import type { Actor, Command, RecordedEvent } from '@app/event-sourcing';
import type { DeadlineEffect, DeadlineRule } from '@app/platform/deadlines/deadline';
import type { CapacityLedgerEvent, ReleaseHours } from './capacity-ledger';
import type { ExpirePackageOffer, HomeCarePackageEvent } from './home-care-package';

export const DEADLINE_ACTOR: Actor = { userId: 'deadline-scheduler', role: 'system', organisation: 'TOCH' };

/**
 * A hold outlives its offer by this much before it lapses on its own. The offer's expiry releases it in the
 * normal course; the lapse only cleans up a hold whose offer was never recorded (a crash between the steps),
 * and the grace keeps it from racing an acceptance made in the offer's last minute.
 */
export const HOLD_GRACE_MINUTES = 60;

const offerDeadline = (packageId: string, offerId: string) => `home-care:offer:${packageId}:${offerId}`;
const holdDeadline = (ledgerId: string, holdId: string) => `home-care:hold:${ledgerId}:${holdId}`;

const plusMinutes = (instant: string, minutes: number) => new Date(Date.parse(instant) + minutes * 60_000).toISOString();

const fired = <C extends Command>(event: RecordedEvent, deadlineId: string, type: C['type'], data: C['data']) => {
  return (firedAt: string): C =>
    ({
      type,
      data,
      metadata: {
        commandId: `deadline:${deadlineId}`,
        correlationId: event.metadata.correlationId,
        causationId: event.id,
        actor: DEADLINE_ACTOR,
        now: firedAt,
      },
    }) as C;
};

/** Offer expiry (and the lapse of an orphaned hold) as durable deadlines. Pure. */
export const homeCareDeadlineRule: DeadlineRule<Command> = {
  name: 'home-care-offers',
  categories: ['homeCarePackage', 'capacityLedger'],
  effect: (recorded: RecordedEvent): DeadlineEffect<Command> | undefined => {
    const event = recorded as unknown as RecordedEvent & (HomeCarePackageEvent | CapacityLedgerEvent);
    switch (event.type) {
      case 'PackageOffered': {
        const { packageId, offerId, expiresAt } = event.data;
        const deadlineId = offerDeadline(packageId, offerId);
        return {
          kind: 'schedule',
          deadlineId,
          dueAt: expiresAt,
          command: fired<ExpirePackageOffer>(recorded, deadlineId, 'ExpirePackageOffer', { packageId, offerId }),
        };
      }
      case 'PackageAccepted':
      case 'PackageOfferDeclined':
      case 'PackageOfferExpired':
      case 'PackageOfferWithdrawn':
        return { kind: 'settle', deadlineId: offerDeadline(event.data.packageId, event.data.offerId) };
      case 'HoursHeld': {
        const { ledgerId, holdId, providerId, locality, date, expiresAt } = event.data;
        const deadlineId = holdDeadline(ledgerId, holdId);
        return {
          kind: 'schedule',
          deadlineId,
          dueAt: plusMinutes(expiresAt, HOLD_GRACE_MINUTES),
          command: fired<ReleaseHours>(recorded, deadlineId, 'ReleaseHours', {
            providerId,
            locality,
            date,
            holdId,
            reason: 'hold-lapsed',
          }),
        };
      }
      case 'HoursCommitted':
      case 'HoursReleased':
        return { kind: 'settle', deadlineId: holdDeadline(event.data.ledgerId, event.data.holdId) };
      default:
        return undefined;
    }
  },
};
