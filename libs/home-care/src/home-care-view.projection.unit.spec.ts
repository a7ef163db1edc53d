import type { DomainEvent, RecordedEvent } from '@app/event-sourcing';
import { ledgerStreamOf } from './capacity-ledger';
import { packageStreamOf } from './home-care-package';
import {
  homeCareView,
  ledgerGrid,
  packageList,
  providerScreen,
  waitingList,
  type HomeCareView,
} from './home-care-view.projection';
import { providerStreamOf } from './provider';
import {
  capacityDeclared,
  CASE_ID,
  hoursCommitted,
  hoursHeld,
  hoursReleased,
  key,
  LOCALITY,
  NOW,
  OTHER_OFFER_ID,
  OTHER_PROVIDER_ID,
  PACKAGE_ID,
  packageAccepted,
  packageOfferDeclined,
  packageOffered,
  packageRequested,
  packageStarted,
  PROVIDER_ID,
  TODAY,
  TOMORROW,
} from './testing/builders';

const streamOf = (event: DomainEvent): string => {
  const data = event.data as { providerId: string; packageId?: string; locality?: string; date?: string };
  if (event.type.startsWith('Provider')) return providerStreamOf(data.providerId);
  if (event.type.startsWith('Package')) return packageStreamOf(data.packageId!);
  return ledgerStreamOf(key(data as never));
};

/** Records events as the store would: a revision per stream and one global order. */
const given = (...events: DomainEvent[]): HomeCareView => {
  const revisions = new Map<string, number>();
  return events.reduce((view, event, i) => {
    const streamId = streamOf(event);
    const revision = (revisions.get(streamId) ?? -1) + 1;
    revisions.set(streamId, revision);
    const recorded = { ...event, id: `e${i}`, streamId, revision, position: BigInt(i + 1), recordedAt: NOW } as RecordedEvent;
    return homeCareView.evolve(view, recorded);
  }, homeCareView.initial());
};

const registered = (providerId = PROVIDER_ID, localities = [LOCALITY]): DomainEvent => ({
  type: 'ProviderRegistered',
  data: { providerId, name: `${providerId} (illustrative)`, localities, registeredAt: NOW },
});

describe('the home-care view', () => {
  it('given a return, holds, a commitment and a release, then each cell shows free = declared − held − committed', () => {
    const view = given(
      registered(),
      capacityDeclared({ hoursPerWeek: 40, newPackages: 3, staffing: { careWorkersRostered: 20, careWorkersAbsent: 3 } }),
      hoursHeld({ holdId: 'a', hours: 14 }),
      hoursHeld({ holdId: 'b', hours: 10 }),
      hoursCommitted({ holdId: 'a', hours: 14 }),
      hoursHeld({ holdId: 'c', hours: 5 }),
      hoursReleased({ holdId: 'c', hours: 5 }),
    );
    const grid = ledgerGrid(view, TODAY, 2);
    const cells = grid.providers[0].localities[0].days;
    expect(cells[0]).toMatchObject({
      date: TODAY,
      returned: true,
      revision: 5,
      declaredHours: 40,
      heldHours: 10,
      committedHours: 14,
      freeHours: 16,
      freePackages: 1,
      workforceAbsencePercent: 15,
      workforceAtRisk: true,
    });
    expect(cells[1]).toMatchObject({ date: TOMORROW, returned: false, revision: null, declaredHours: 0, freeHours: 0 });
    expect(grid.workforce).toMatchObject({ system: { percent: 15, atRisk: true }, providersAtRisk: [PROVIDER_ID] });
    expect(grid.byLocality).toEqual([
      { locality: LOCALITY, days: [expect.objectContaining({ providersReturned: 1, freeHours: 16 }), expect.anything()] },
    ]);
  });

  it('given a corrected return, then the latest return is in force', () => {
    const view = given(
      registered(),
      capacityDeclared({ hoursPerWeek: 40 }),
      capacityDeclared({ hoursPerWeek: 12, returnNumber: 2 }),
    );
    expect(ledgerGrid(view, TODAY, 1).providers[0].localities[0].days[0]).toMatchObject({ declaredHours: 12, freeHours: 12 });
  });

  it('pools workforce absence over care workers, never averaging percentages', () => {
    const view = given(
      registered(PROVIDER_ID),
      registered(OTHER_PROVIDER_ID),
      capacityDeclared({ staffing: { careWorkersRostered: 100, careWorkersAbsent: 5 } }),
      capacityDeclared({ providerId: OTHER_PROVIDER_ID, staffing: { careWorkersRostered: 10, careWorkersAbsent: 5 } }),
    );
    const { workforce } = ledgerGrid(view, TODAY, 1);
    expect(workforce.system).toEqual({ careWorkersRostered: 110, careWorkersAbsent: 10, percent: 9.1, atRisk: false });
    expect(workforce.providersAtRisk).toEqual([OTHER_PROVIDER_ID]);
  });

  it('given a package offered to two providers, then the waiting list counts the open offers and each provider sees only its own', () => {
    const view = given(
      registered(PROVIDER_ID),
      registered(OTHER_PROVIDER_ID),
      packageRequested(),
      packageOffered(),
      packageOffered({ offerId: OTHER_OFFER_ID, providerId: OTHER_PROVIDER_ID }),
    );
    expect(waitingList(view, NOW)).toEqual([
      expect.objectContaining({ packageId: PACKAGE_ID, caseId: CASE_ID, status: 'requested', daysWaiting: 0, offersOut: 2 }),
    ]);
    expect(providerScreen(view, OTHER_PROVIDER_ID, NOW, 15)?.offers).toEqual([
      expect.objectContaining({ packageId: PACKAGE_ID, offerId: OTHER_OFFER_ID }),
    ]);
    expect(packageList(view, NOW, PROVIDER_ID)).toEqual([]);
  });

  it('given an acceptance and a start, then the package leaves the waiting list and is the provider’s, with days to start', () => {
    const view = given(
      registered(),
      packageRequested({ requestedAt: '2026-11-21T09:00:00.000Z' }),
      packageOffered(),
      packageOffered({ offerId: OTHER_OFFER_ID, providerId: OTHER_PROVIDER_ID }),
      packageOfferDeclined({ offerId: OTHER_OFFER_ID, providerId: OTHER_PROVIDER_ID }),
      packageAccepted(),
      packageStarted({ startedOn: TODAY }),
    );
    expect(waitingList(view, NOW)).toEqual([]);
    const [own] = packageList(view, NOW, PROVIDER_ID);
    expect(own).toMatchObject({ status: 'active', providerId: PROVIDER_ID, startedOn: TODAY, daysFromRequestToStart: 2 });
    expect(own.caseId).toBeUndefined();
  });
});
