import { DomainRefusal, type Actor, type RefusalKind } from '@app/event-sourcing';
import { specFor } from '@app/event-sourcing/testing/decider-spec';
import { assertProviderMayTake, evolveProvider, initialProvider, providerDecider, type ProviderEvent } from './provider';
import { isWorkforceAtRisk, pooledWorkforceAbsence, workforceAbsencePercent } from './workforce';
import { ILLUSTRATIVE_PROVIDERS, seedCommands } from './illustrative-providers';
import { homeCareRoutes } from './index';
import { admin, hub, leader, metadata, NOW, PROVIDER_ID, providerUser, ward } from './testing/builders';

const given = specFor(providerDecider);
const refused =
  (code: string, kind?: RefusalKind) =>
  (error: DomainRefusal): void =>
    expect(error).toMatchObject(kind ? { code, kind } : { code });
const roles = (...actors: Actor[]) => actors.map((actor) => [actor.role, actor] as const);

const register = (by: Actor = hub, data = {}) => ({
  type: 'RegisterProvider' as const,
  data: { providerId: PROVIDER_ID, name: 'Mendip Care at Home', localities: ['MENDIP'], ...data },
  metadata: metadata(by),
});
const suspend = (by: Actor = hub) => ({
  type: 'SuspendProvider' as const,
  data: { providerId: PROVIDER_ID, reason: 'safeguarding-concern' as const },
  metadata: metadata(by),
});
const reinstate = (by: Actor = hub) => ({
  type: 'ReinstateProvider' as const,
  data: { providerId: PROVIDER_ID },
  metadata: metadata(by),
});

const registered: ProviderEvent = {
  type: 'ProviderRegistered',
  data: { providerId: PROVIDER_ID, name: 'Mendip Care at Home', localities: ['MENDIP'], registeredAt: NOW },
};
const suspended: ProviderEvent = {
  type: 'ProviderSuspended',
  data: { providerId: PROVIDER_ID, reason: 'safeguarding-concern', suspendedAt: NOW },
};
const reinstated: ProviderEvent = { type: 'ProviderReinstated', data: { providerId: PROVIDER_ID, reinstatedAt: NOW } };

describe('Provider', () => {
  it('registers a provider with the localities it serves', () => given().when(register()).then(registered));
  it('suspends and reinstates it', () => {
    given(registered).when(suspend()).then(suspended);
    given(registered, suspended).when(reinstate()).then(reinstated);
  });
  it('refuses a second registration, a double suspension, a reinstatement of an active provider', () => {
    given(registered).when(register()).thenThrows(DomainRefusal, refused('PROVIDER_EXISTS', 'conflict'));
    given(registered, suspended).when(suspend()).thenThrows(DomainRefusal, refused('ALREADY_SUSPENDED', 'conflict'));
    given(registered).when(reinstate()).thenThrows(DomainRefusal, refused('NOT_SUSPENDED', 'conflict'));
  });
  it.each([
    [{ localities: [] }, 'NO_LOCALITIES'],
    [{ localities: ['MENDIP', 'MENDIP'] }, 'DUPLICATE_LOCALITY'],
    [{ localities: ['mendip'] }, 'INVALID_LOCALITY'],
    [{ providerId: 'PRV_MENDIP' }, 'INVALID_PROVIDER_ID'],
    [{ providerId: 'PRV.MENDIP' }, 'INVALID_PROVIDER_ID'],
  ])('refuses %o with %s', (data, code) => given().when(register(hub, data)).thenThrows(DomainRefusal, refused(code)));
  it.each(roles(providerUser, ward, leader))('refuses registration by a %s user (403)', (_role, by) =>
    given().when(register(by)).thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')),
  );
  it('refuses a provider suspending itself (403)', () =>
    given(registered).when(suspend(providerUser)).thenThrows(DomainRefusal, refused('ROLE_NOT_PERMITTED', 'forbidden')));
  it('lets an admin suspend', () => given(registered).when(suspend(admin)).then(suspended));

  describe('may it take work in a locality?', () => {
    const fold = (...events: ProviderEvent[]) => events.reduce(evolveProvider, initialProvider());
    it('yes when active and serving the locality', () =>
      expect(() => assertProviderMayTake(fold(registered), 'MENDIP', 'take offers')).not.toThrow());
    it('no when suspended, outside its localities, or unknown', () => {
      expect(() => assertProviderMayTake(fold(registered, suspended), 'MENDIP', 'take offers')).toThrow(
        expect.objectContaining({ code: 'PROVIDER_SUSPENDED' }),
      );
      expect(() => assertProviderMayTake(fold(registered), 'SEDGEMOOR', 'declare capacity')).toThrow(
        expect.objectContaining({ code: 'LOCALITY_NOT_SERVED' }),
      );
      expect(() => assertProviderMayTake(fold(), 'MENDIP', 'take offers')).toThrow(
        expect.objectContaining({ code: 'PROVIDER_NOT_FOUND' }),
      );
      expect(() => assertProviderMayTake(fold(registered, suspended, reinstated), 'MENDIP', 'take offers')).not.toThrow();
    });
  });
});

describe('workforce absence', () => {
  it.each([
    [40, 4, 10, false],
    [40, 5, 12.5, true],
    [30, 3, 10, false],
    [3, 1, 33.3, true],
    [0, 0, null, false],
  ])('%i rostered, %i absent → %s%, at risk %s', (careWorkersRostered, careWorkersAbsent, percent, atRisk) => {
    expect(workforceAbsencePercent({ careWorkersRostered, careWorkersAbsent })).toBe(percent);
    expect(isWorkforceAtRisk({ careWorkersRostered, careWorkersAbsent })).toBe(atRisk);
  });
  it('pools returns system-wide by heads, not by averaging percentages', () =>
    expect(
      pooledWorkforceAbsence([
        { careWorkersRostered: 100, careWorkersAbsent: 5 },
        { careWorkersRostered: 10, careWorkersAbsent: 5 },
        null,
      ]),
    ).toEqual({ careWorkersRostered: 110, careWorkersAbsent: 10, percent: 9.1, atRisk: false }));
});

describe('illustrative providers and routes', () => {
  it('are seven, serving the four Somerset localities, each registrable', () => {
    expect(ILLUSTRATIVE_PROVIDERS).toHaveLength(7);
    expect(new Set(ILLUSTRATIVE_PROVIDERS.flatMap((p) => p.localities))).toEqual(
      new Set(['MENDIP', 'SEDGEMOOR', 'SOUTH_SOMERSET', 'SOMERSET_WEST_AND_TAUNTON']),
    );
    const commands = seedCommands(metadata(hub));
    expect(new Set(commands.map((c) => c.metadata.commandId)).size).toBe(7);
    for (const command of commands) expect(providerDecider.decide(command, initialProvider())).toHaveLength(1);
  });
  it('route every command type once', () => {
    const types = homeCareRoutes.flatMap((r) => r.types);
    expect(new Set(types).size).toBe(types.length);
    expect(types).toHaveLength(20);
  });
});
