import type { CaseListView } from '@app/discharge';
import type { Actor, RecordedEvent } from '@app/event-sourcing';
import { defaultReferenceDataFile, loadReferenceData } from '@app/reference-data';
import type { PathwaySharesView } from '../projections/pathway-shares';
import {
  caseListPayload,
  pathwaySharesPayload,
  pathwaySharesSite,
  roomOf,
  subscriptionFor,
  touches,
  type LiveSubscription,
} from './live-feed';

const referenceData = loadReferenceData(defaultReferenceDataFile());
const scope = (s: Partial<LiveSubscription> & Pick<LiveSubscription, 'view'>): LiveSubscription => ({
  area: null,
  trust: null,
  provider: null,
  aggregate: false,
  ...s,
});

const hub: Actor = { userId: 'hub.coordinator', role: 'hub', organisation: 'TOCH' };
const leader: Actor = { userId: 'leader.ics', role: 'leader', organisation: 'ICB' };
const admin: Actor = { userId: 'admin', role: 'admin', organisation: 'TOCH' };
const ward: Actor = { userId: 'ward.musgrove', role: 'ward', organisation: 'RH5' };
const provider: Actor = { userId: 'provider.mendip-care', role: 'provider', organisation: 'PRV-MENDIP-CARE' };

describe('subscriptionFor', () => {
  it('lets the hub, leaders and admins follow pathway-shares, whole or by area', () => {
    expect(subscriptionFor(hub, { view: 'pathway-shares' })).toEqual(scope({ view: 'pathway-shares' }));
    expect(subscriptionFor(admin, { view: 'pathway-shares', area: 'SEDGEMOOR' })).toEqual(
      scope({ view: 'pathway-shares', area: 'SEDGEMOOR' }),
    );
    // A leader's figures are suppressed, so a leader has a room of its own.
    expect(subscriptionFor(leader, { view: 'pathway-shares' })).toEqual(scope({ view: 'pathway-shares', aggregate: true }));
  });

  it('keeps leaders to system-wide figures, since per-area counts are small', () => {
    expect(subscriptionFor(leader, { view: 'pathway-shares', area: 'MENDIP' })).toMatchObject({ code: 'VIEW_NOT_PERMITTED' });
  });

  it('refuses the case list to leaders and providers, naming the rule', () => {
    for (const actor of [leader, provider, admin]) {
      expect(subscriptionFor(actor, { view: 'case-list' })).toEqual({
        code: 'VIEW_NOT_PERMITTED',
        message: expect.stringContaining('case-list is for the hub, and for wards'),
      });
    }
    expect(subscriptionFor(ward, { view: 'pathway-shares' })).toMatchObject({ code: 'VIEW_NOT_PERMITTED' });
  });

  it('scopes a ward’s case list to its own trust, whatever it asks', () => {
    expect(subscriptionFor(ward, { view: 'case-list' })).toEqual(scope({ view: 'case-list', trust: 'RH5' }));
    expect(subscriptionFor(hub, { view: 'case-list', area: 'SOUTH_SOMERSET' })).toEqual(
      scope({ view: 'case-list', area: 'SOUTH_SOMERSET' }),
    );
  });

  it('refuses malformed requests', () => {
    for (const request of [undefined, 'pathway-shares', [], { view: 'beds' }, { view: 'case-list', area: 'a b' }]) {
      expect(subscriptionFor(hub, request)).toMatchObject({ code: 'INVALID_SUBSCRIPTION' });
    }
    expect(subscriptionFor(ward, { view: 'case-list', trust: 'RA4' })).toEqual({
      code: 'INVALID_SUBSCRIPTION',
      message: 'subscribe does not take trust',
    });
  });
});

describe('rooms', () => {
  it('are named by view, then trust, then area', () => {
    expect(roomOf(scope({ view: 'pathway-shares' }))).toBe('view:pathway-shares');
    expect(roomOf(scope({ view: 'pathway-shares', area: 'MENDIP' }))).toBe('view:pathway-shares:area:MENDIP');
    expect(roomOf(scope({ view: 'case-list', area: 'MENDIP', trust: 'RH5' }))).toBe('view:case-list:trust:RH5:area:MENDIP');
    expect(roomOf(scope({ view: 'pathway-shares', aggregate: true }))).toBe('view:pathway-shares:aggregate');
    expect(roomOf(scope({ view: 'capacity', provider: 'PRV-MENDIP-CARE', area: 'MENDIP' }))).toBe(
      'view:capacity:provider:PRV-MENDIP-CARE:area:MENDIP',
    );
  });

  it('are touched only by changes in their scope; a change of unknown site reaches all', () => {
    const rh5 = scope({ view: 'case-list', trust: 'RH5' });
    const mendip = scope({ view: 'pathway-shares', area: 'MENDIP' });
    const all = scope({ view: 'pathway-shares' });

    expect(touches(rh5, { hospital: 'RH5', area: 'MENDIP' })).toBe(true);
    expect(touches(rh5, { hospital: 'RA4', area: 'MENDIP' })).toBe(false);
    expect(touches(rh5, {})).toBe(true);
    expect(touches(mendip, { area: 'SEDGEMOOR' })).toBe(false);
    expect(touches(mendip, { noArea: true })).toBe(false);
    expect(touches(all, { noArea: true })).toBe(true);
  });
});

const event = (type: string, data: object): RecordedEvent =>
  ({ type, data, streamId: 'dischargeCase-x', revision: 0, position: 1n }) as unknown as RecordedEvent;

describe('pathway-shares payload', () => {
  const view: PathwaySharesView = {
    cases: { c1: { hospital: 'RH5', area: 'MENDIP', ageBand: '85+' } },
    referred: {
      '2026-11-25': { 'RH5|MENDIP|85+': [0, 2, 0, 0], 'RH5|SEDGEMOOR|65-74': [1, 0, 0, 0] },
    },
    feed: { 'RH5|2026-11-25': { trust: 'RH5', date: '2026-11-25', counts: [90, 5, 4, 1] } },
  };

  it('is the HTTP figures for today, with the position as a string', () => {
    const payload = pathwaySharesPayload({ view, position: 42n }, '2026-11-25', scope({ view: 'pathway-shares' }), referenceData);

    expect(payload).toMatchObject({ date: '2026-11-25', asOf: null, position: '42' });
    expect(payload.today).toMatchObject({ basis: 'acute-activity-feed', counts: [90, 5, 4, 1] });
    expect(JSON.parse(JSON.stringify(payload))).toEqual(payload);
  });

  it('for an area, counts that area’s referred discharges only', () => {
    const payload = pathwaySharesPayload(
      { view, position: 42n },
      '2026-11-25',
      scope({ view: 'pathway-shares', area: 'MENDIP' }),
      referenceData,
    );

    expect(payload.today).toMatchObject({ basis: 'referred-discharges', counts: [0, 2, 0, 0], feed: null });
  });

  it('is pushed for discharges (in their case’s area) and feeds (system-wide), not for other case events', () => {
    expect(pathwaySharesSite(view, event('PatientDischarged', { caseId: 'c1' }))).toEqual({ hospital: 'RH5', area: 'MENDIP' });
    expect(pathwaySharesSite(view, event('AcuteDischargesReported', { trust: 'RH5' }))).toEqual({ noArea: true });
    expect(pathwaySharesSite(view, event('PathwayAssigned', { caseId: 'c1' }))).toBeNull();
  });
});

describe('case-list payload', () => {
  const entry = (caseId: string, hospital: string, lastChangedAt: string) => ({
    state: {
      status: 'accepted',
      caseId,
      patientId: `patient-of-${caseId}`,
      hospital,
      admittedOn: '2026-11-16',
      ageBand: '85+',
      submittedAt: '2026-11-20T09:00:00Z',
      plan: { pathway: 2, homeCareNeeded: null, bedCategory: 'rehab', intentionToReturnHome: true },
      nctrFrom: null,
      lastMetAgainOn: null,
      delays: [],
      closedDelayIds: [],
      placements: [],
      identityErased: false,
    },
    revision: 3,
    lastChangedAt,
    followUpDue: false,
  });
  const view = {
    cases: {
      a: entry('a', 'RH5', '2026-11-25T10:00:00Z'),
      b: entry('b', 'RA4', '2026-11-25T11:00:00Z'),
      c: entry('c', 'RH5', '2026-11-25T12:00:00Z'),
    },
  } as unknown as CaseListView;
  const areas: Record<string, string> = { a: 'MENDIP', b: 'SOUTH_SOMERSET', c: 'SEDGEMOOR' };

  it('carries codes and times, newest first, and no patient id', () => {
    const payload = caseListPayload({ view, position: 9n }, scope({ view: 'case-list' }), (id) => areas[id]);

    expect(payload).toMatchObject({ position: '9', total: 3 });
    expect(payload.cases.map((c) => c.caseId)).toEqual(['c', 'b', 'a']);
    expect(payload.cases[0]).toEqual({
      caseId: 'c',
      revision: 3,
      status: 'accepted',
      pathway: 2,
      hospital: 'RH5',
      lastChangedAt: '2026-11-25T12:00:00Z',
      followUpDue: false,
    });
    expect(JSON.stringify(payload)).not.toContain('patient');
  });

  it('keeps to the room’s trust and area', () => {
    const rh5 = caseListPayload({ view, position: 9n }, scope({ view: 'case-list', trust: 'RH5' }), (id) => areas[id]);
    const mendip = caseListPayload(
      { view, position: 9n },
      scope({ view: 'case-list', area: 'MENDIP', trust: 'RH5' }),
      (id) => areas[id],
    );

    expect(rh5.cases.map((c) => c.caseId)).toEqual(['c', 'a']);
    expect(mendip.cases.map((c) => c.caseId)).toEqual(['a']);
  });
});
