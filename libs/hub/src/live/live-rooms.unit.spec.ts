import type { BedBoardView } from '@app/bed-base';
import type { Actor, DomainEvent, RecordedEvent } from '@app/event-sourcing';
import { homeCareView, ledgerStreamOf, packageStreamOf, providerStreamOf, type HomeCareView } from '@app/home-care';
import {
  capacityDeclared,
  key,
  LOCALITY,
  NOW,
  OTHER_PROVIDER_ID,
  PACKAGE_ID,
  packageOffered,
  packageRequested,
  PROVIDER_ID,
  TODAY,
} from '@app/home-care/testing/builders';
import { defaultReferenceDataFile, loadReferenceData } from '@app/reference-data';
import { SUPPRESSED } from '../kpis/for-leader';
import {
  bedBoardPayload,
  bedBoardSite,
  capacityPayload,
  capacitySite,
  kpisSite,
  roomOf,
  subscriptionFor,
  touches,
  type LiveBedRow,
  type LiveSubscription,
} from './live-feed';

const referenceData = loadReferenceData(defaultReferenceDataFile());
const hub: Actor = { userId: 'hub.coordinator', role: 'hub', organisation: 'TOCH' };
const leader: Actor = { userId: 'leader.ics', role: 'leader', organisation: 'ICB' };
const admin: Actor = { userId: 'admin', role: 'admin', organisation: 'TOCH' };
const ward: Actor = { userId: 'ward.musgrove', role: 'ward', organisation: 'RH5' };
const mendip: Actor = { userId: 'provider.mendip-care', role: 'provider', organisation: PROVIDER_ID };
const scope = (s: Partial<LiveSubscription> & Pick<LiveSubscription, 'view'>): LiveSubscription => ({
  area: null,
  trust: null,
  provider: null,
  aggregate: false,
  ...s,
});
const room = (actor: Actor, request: object) => {
  const subscription = subscriptionFor(actor, request);
  return 'code' in subscription ? subscription : roomOf(subscription);
};

describe('who may follow the bed board, capacity and kpis', () => {
  it('gives the hub the bed board, leaders and wards the aggregate summary, and refuses providers and admins', () => {
    expect(room(hub, { view: 'bed-board' })).toBe('view:bed-board');
    expect(room(hub, { view: 'bed-board', area: 'MENDIP' })).toBe('view:bed-board:area:MENDIP');
    expect(room(leader, { view: 'bed-board' })).toBe('view:bed-board:aggregate');
    // Beds are not people: a leader may narrow the summary to an area, long stays stay suppressed.
    expect(room(leader, { view: 'bed-board', area: 'MENDIP' })).toBe('view:bed-board:area:MENDIP:aggregate');
    expect(subscriptionFor(ward, { view: 'bed-board' })).toEqual(scope({ view: 'bed-board', aggregate: true }));
    for (const actor of [mendip, admin]) {
      expect(subscriptionFor(actor, { view: 'bed-board' })).toMatchObject({ code: 'VIEW_NOT_PERMITTED' });
    }
  });

  it('keeps a provider to its own capacity rows, and refuses it another provider’s room', () => {
    expect(room(mendip, { view: 'capacity' })).toBe(`view:capacity:provider:${PROVIDER_ID}`);
    expect(room(mendip, { view: 'capacity', provider: PROVIDER_ID })).toBe(`view:capacity:provider:${PROVIDER_ID}`);
    expect(subscriptionFor(mendip, { view: 'capacity', provider: OTHER_PROVIDER_ID })).toEqual({
      code: 'VIEW_NOT_PERMITTED',
      message: expect.stringContaining('its own capacity only'),
    });
    expect(room(hub, { view: 'capacity' })).toBe('view:capacity');
    expect(room(hub, { view: 'capacity', provider: OTHER_PROVIDER_ID })).toBe(`view:capacity:provider:${OTHER_PROVIDER_ID}`);
    for (const actor of [leader, ward, admin]) {
      expect(subscriptionFor(actor, { view: 'capacity' })).toMatchObject({ code: 'VIEW_NOT_PERMITTED' });
    }
    expect(subscriptionFor(hub, { view: 'kpis', provider: PROVIDER_ID })).toMatchObject({ code: 'INVALID_SUBSCRIPTION' });
    expect(subscriptionFor(hub, { view: 'capacity', provider: 'a.b' })).toMatchObject({ code: 'INVALID_SUBSCRIPTION' });
  });

  it('gives the hub and admins the kpis, leaders the suppressed kpis for the whole system only', () => {
    expect(room(hub, { view: 'kpis' })).toBe('view:kpis');
    expect(room(admin, { view: 'kpis', area: 'MENDIP' })).toBe('view:kpis:area:MENDIP');
    expect(room(leader, { view: 'kpis' })).toBe('view:kpis:aggregate');
    expect(subscriptionFor(leader, { view: 'kpis', area: 'MENDIP' })).toMatchObject({ code: 'VIEW_NOT_PERMITTED' });
    for (const actor of [ward, mendip])
      expect(subscriptionFor(actor, { view: 'kpis' })).toMatchObject({ code: 'VIEW_NOT_PERMITTED' });
  });
});

const recorded = (streamId: string, type: string, data: object): RecordedEvent =>
  ({ type, data, streamId, revision: 0, position: 1n, recordedAt: NOW }) as unknown as RecordedEvent;

describe('bed-board rooms', () => {
  const site = (siteId: string, locality: string) => ({
    siteId,
    name: `${siteId} community hospital`,
    kind: 'community-hospital',
    locality,
    odsCode: siteId,
    closedToAdmissions: null,
    admissionsSince: '2026-01-01T00:00:00.000Z',
  });
  const bed = (bedId: string, siteId: string, extra: object = {}) => ({
    bedId,
    siteId,
    label: `${bedId} label`,
    pathway: 2,
    category: 'rehab',
    capabilities: [],
    baySex: 'mixed',
    funding: 'nhs',
    tier: 1,
    escalation: false,
    decommissioned: false,
    escalationOpen: false,
    closure: null,
    holder: null,
    occupant: null,
    changedAt: '2026-01-01T00:00:00.000Z',
    ...extra,
  });
  const view = {
    sites: { FROME: site('FROME', 'MENDIP'), BRIDGWATER: site('BRIDGWATER', 'SEDGEMOOR') },
    beds: {
      'FROME-01': bed('FROME-01', 'FROME', {
        occupant: { requestId: 'r1', reservationId: 'v1', caseId: 'case-long', admittedAt: '2026-10-20T10:00:00.000Z' },
      }),
      'FROME-02': bed('FROME-02', 'FROME', {
        holder: {
          requestId: 'r2',
          reservationId: 'v2',
          caseId: 'case-held',
          reservedAt: '2026-11-25T09:00:00.000Z',
          expiresAt: '2026-11-26T09:00:00.000Z',
        },
      }),
      'BRIDGWATER-01': bed('BRIDGWATER-01', 'BRIDGWATER'),
    },
    requests: {},
  } as unknown as BedBoardView;
  const now = '2026-11-25T12:00:00.000Z';
  const current = { view, position: 12n };

  it('give the hub every bed with its status, since when, and the case id holding it', () => {
    const payload = bedBoardPayload(current, scope({ view: 'bed-board' }), now, referenceData);

    expect(payload).toMatchObject({ position: '12', at: now });
    expect((payload as { rows: LiveBedRow[] }).rows).toEqual([
      expect.objectContaining({ bedId: 'BRIDGWATER-01', siteId: 'BRIDGWATER', area: 'SEDGEMOOR', status: 'open', caseId: null }),
      expect.objectContaining({
        bedId: 'FROME-01',
        tier: 1,
        category: 'rehab',
        status: 'occupied',
        since: '2026-10-20T10:00:00.000Z',
        caseId: 'case-long',
      }),
      expect.objectContaining({ bedId: 'FROME-02', status: 'reserved', caseId: 'case-held' }),
    ]);
    const mendipOnly = bedBoardPayload(current, scope({ view: 'bed-board', area: 'MENDIP' }), now, referenceData);
    expect((mendipOnly as { rows: LiveBedRow[] }).rows.map((r) => r.bedId)).toEqual(['FROME-01', 'FROME-02']);
  });

  it('give leaders and wards the summary only: bed counts as they are, long stays suppressed when small, no case', () => {
    const payload = bedBoardPayload(current, scope({ view: 'bed-board', aggregate: true }), now, referenceData);

    expect(payload).toMatchObject({
      position: '12',
      suppression: { threshold: 5 },
      summary: {
        total: { commissioned: 3, occupied: 1, reserved: 1, available: 1 },
        byArea: { MENDIP: { commissioned: 2 }, SEDGEMOOR: { commissioned: 1 } },
        longStays: { thresholdDays: 21, count: SUPPRESSED },
      },
    });
    expect('rows' in payload).toBe(false);
    expect(JSON.stringify(payload)).not.toMatch(/case-|FROME-0/);
  });

  it('move on site and bed events in their site’s area, not on requests', () => {
    expect(bedBoardSite(view, recorded('bed-FROME-02', 'BedReserved', { bedId: 'FROME-02' }))).toEqual({ area: 'MENDIP' });
    expect(bedBoardSite(view, recorded('site-BRIDGWATER', 'SiteClosedToAdmissions', { siteId: 'BRIDGWATER' }))).toEqual({
      area: 'SEDGEMOOR',
    });
    expect(bedBoardSite(view, recorded('bedRequest-r9', 'BedRequestOpened', { requestId: 'r9' }))).toBeNull();
  });
});

describe('capacity rooms', () => {
  const streamOf = (event: DomainEvent) => {
    const data = event.data as { providerId: string; packageId?: string; locality?: string; date?: string };
    if (event.type.startsWith('Provider')) return providerStreamOf(data.providerId);
    if (event.type.startsWith('Package')) return packageStreamOf(data.packageId!);
    return ledgerStreamOf(key(data as never));
  };
  const fold = (events: DomainEvent[]): HomeCareView =>
    events.reduce(
      (view, event, i) =>
        homeCareView.evolve(view, {
          ...event,
          id: `e${i}`,
          streamId: streamOf(event),
          revision: 0,
          position: BigInt(i + 1),
          recordedAt: NOW,
        } as RecordedEvent),
      homeCareView.initial(),
    );
  const registered = (providerId: string): DomainEvent => ({
    type: 'ProviderRegistered',
    data: { providerId, name: `${providerId} (illustrative)`, localities: [LOCALITY], registeredAt: NOW },
  });
  const events = [
    registered(PROVIDER_ID),
    registered(OTHER_PROVIDER_ID),
    capacityDeclared({ hoursPerWeek: 40 }),
    capacityDeclared({ providerId: OTHER_PROVIDER_ID, hoursPerWeek: 25 }),
    packageRequested(),
    packageOffered({ providerId: PROVIDER_ID }),
  ];
  const view = fold(events);
  const current = { view, position: 6n };

  it('give the hub every provider’s grid for today and 14 days, the locality totals and the waiting list, with no names', () => {
    const payload = capacityPayload(current, scope({ view: 'capacity' }), NOW);

    expect(payload).toMatchObject({ position: '6', from: TODAY, rule: 'free = declared − held − committed' });
    expect(payload.dates).toHaveLength(15);
    expect(payload.providers.map((p) => p.providerId).sort()).toEqual([OTHER_PROVIDER_ID, PROVIDER_ID].sort());
    expect(payload.byLocality).toEqual([{ locality: LOCALITY, days: expect.any(Array) }]);
    expect(payload.waiting).toEqual([
      expect.objectContaining({ packageId: PACKAGE_ID, caseId: expect.any(String), offersOut: 1 }),
    ]);
  });

  it('give a provider its own rows only, and only the packages offered to it, without case ids', () => {
    const own = capacityPayload(current, scope({ view: 'capacity', provider: PROVIDER_ID }), NOW);
    const other = capacityPayload(current, scope({ view: 'capacity', provider: OTHER_PROVIDER_ID }), NOW);

    expect(own.providers.map((p) => p.providerId)).toEqual([PROVIDER_ID]);
    expect(own.providers[0].localities[0].days[0]).toMatchObject({ declaredHours: 40, heldHours: 0 });
    expect(own).toMatchObject({ byLocality: null, workforce: null });
    expect(own.waiting).toEqual([
      { packageId: PACKAGE_ID, status: 'requested', area: LOCALITY, hoursPerWeek: 14, requestedAt: NOW, daysWaiting: 0 },
    ]);
    expect(other.providers.map((p) => p.providerId)).toEqual([OTHER_PROVIDER_ID]);
    expect(other.waiting).toEqual([]);
    expect(JSON.stringify(other)).not.toContain(PROVIDER_ID);
  });

  it('move a provider’s rooms only for its own ledgers, and for packages offered to it', () => {
    const ledger = capacityDeclared({ providerId: OTHER_PROVIDER_ID });
    const ledgerSite = capacitySite(view, recorded(streamOf(ledger), ledger.type, ledger.data));
    expect(ledgerSite).toEqual({ providers: [OTHER_PROVIDER_ID], area: LOCALITY });
    expect(touches(scope({ view: 'capacity', provider: PROVIDER_ID }), ledgerSite!)).toBe(false);
    expect(touches(scope({ view: 'capacity' }), ledgerSite!)).toBe(true);
    const offered = events[5];
    expect(capacitySite(view, recorded(streamOf(offered), offered.type, offered.data as object))).toEqual({
      area: LOCALITY,
      providers: [PROVIDER_ID],
    });
  });
});

describe('kpis rooms', () => {
  it('move for a case in its area; every other KPI change is system-wide', () => {
    const view = { cases: { c1: { area: 'MENDIP' } } };
    const discharged = recorded('dischargeCase-c1', 'PatientDischarged', { caseId: 'c1' });

    expect(kpisSite('discharge-kpis', view, discharged)).toEqual({ area: 'MENDIP' });
    expect(kpisSite('bed-board', {}, recorded('bed-X', 'BedReserved', { bedId: 'X' }))).toEqual({});
    expect(touches(scope({ view: 'kpis', area: 'SEDGEMOOR' }), { area: 'MENDIP' })).toBe(false);
  });
});
