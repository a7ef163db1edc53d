import { DomainRefusal, type CommandMetadata } from '@app/event-sourcing';
import { specFor } from '@app/event-sourcing/testing/decider-spec';
import { bedHold, type BedHoldEvent } from './bed-hold';

const given = specFor(bedHold);
const hub: CommandMetadata = {
  commandId: 'c1',
  correlationId: 'c1',
  actor: { userId: 'hub.coordinator', role: 'hub', organisation: 'TOCH' },
  now: '2026-11-23T08:00:00.000Z',
};
const placed = (expiresAt = '2026-11-23T08:30:00.000Z'): BedHoldEvent => ({
  type: 'BedHoldPlaced',
  data: { holdId: 'h1', bedCode: 'B1', expiresAt, placedBy: 'hub.coordinator' },
});

describe('the example bed hold (exercises the spec helper)', () => {
  it('places a hold that expires after the given minutes', () =>
    given()
      .when({ type: 'PlaceBedHold', data: { holdId: 'h1', bedCode: 'B1', minutes: 30 }, metadata: hub })
      .then(placed()));

  it('refuses a second placement', () =>
    given(placed())
      .when({ type: 'PlaceBedHold', data: { holdId: 'h1', bedCode: 'B1', minutes: 30 }, metadata: hub })
      .thenThrows(DomainRefusal, (e) => expect(e.code).toBe('HOLD_EXISTS')));

  it('expires an active hold when its deadline fires', () =>
    given(placed())
      .when({
        type: 'ExpireBedHold',
        data: { holdId: 'h1', expiresAt: '2026-11-23T08:30:00.000Z' },
        metadata: { ...hub, now: '2026-11-23T08:31:00.000Z' },
      })
      .then({ type: 'BedHoldExpired', data: { holdId: 'h1', expiredAt: '2026-11-23T08:31:00.000Z' } }));

  it('decides nothing when a repeated deadline finds the hold already gone', () =>
    given(placed(), { type: 'BedHoldReleased', data: { holdId: 'h1', releasedAt: '2026-11-23T08:10:00.000Z' } })
      .when({ type: 'ExpireBedHold', data: { holdId: 'h1', expiresAt: '2026-11-23T08:30:00.000Z' }, metadata: hub })
      .thenNothingHappens());
});
