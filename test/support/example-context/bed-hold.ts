// A tiny context for testing the platform end to end. It is not part of the product.
import { assertNever, DomainRefusal, type Command, type Decider, type DomainEvent } from '@app/event-sourcing';

export type BedHoldEvent =
  | DomainEvent<'BedHoldPlaced', { holdId: string; bedCode: string; expiresAt: string; placedBy: string }>
  | DomainEvent<'BedHoldReleased', { holdId: string; releasedAt: string }>
  | DomainEvent<'BedHoldExpired', { holdId: string; expiredAt: string }>;

export type BedHoldCommand =
  | Command<'PlaceBedHold', { holdId: string; bedCode: string; minutes: number }>
  | Command<'ReleaseBedHold', { holdId: string }>
  | Command<'ExpireBedHold', { holdId: string; expiresAt: string }>;

export type BedHold =
  | { status: 'none' }
  | { status: 'held'; holdId: string; bedCode: string; expiresAt: string }
  | { status: 'released' | 'expired'; holdId: string; bedCode: string };

export const bedHold: Decider<BedHold, BedHoldCommand, BedHoldEvent> = {
  initialState: () => ({ status: 'none' }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'BedHoldPlaced':
        return { status: 'held', holdId: event.data.holdId, bedCode: event.data.bedCode, expiresAt: event.data.expiresAt };
      case 'BedHoldReleased':
        return state.status === 'none' ? state : { status: 'released', holdId: state.holdId, bedCode: state.bedCode };
      case 'BedHoldExpired':
        return state.status === 'none' ? state : { status: 'expired', holdId: state.holdId, bedCode: state.bedCode };
      default:
        return assertNever(event);
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'PlaceBedHold': {
        if (state.status !== 'none') throw new DomainRefusal('HOLD_EXISTS', 'This hold was already placed', 'conflict');
        const expiresAt = new Date(Date.parse(command.metadata.now) + command.data.minutes * 60_000).toISOString();
        const { holdId, bedCode } = command.data;
        return { type: 'BedHoldPlaced', data: { holdId, bedCode, expiresAt, placedBy: command.metadata.actor.userId } };
      }
      case 'ReleaseBedHold':
        if (state.status !== 'held')
          throw new DomainRefusal('HOLD_NOT_ACTIVE', 'Only an active hold can be released', 'unprocessable');
        return { type: 'BedHoldReleased', data: { holdId: state.holdId, releasedAt: command.metadata.now } };
      case 'ExpireBedHold':
        // A late or repeated deadline decides nothing.
        if (state.status !== 'held' || state.expiresAt !== command.data.expiresAt) return [];
        return { type: 'BedHoldExpired', data: { holdId: state.holdId, expiredAt: command.metadata.now } };
      default:
        return assertNever(command);
    }
  },
};
