import type { ContextDefinition } from '@app/platform/context';
import type { ReferenceData } from '@app/reference-data';
import { homeCareDeadlineRule } from './deadlines';
import { ILLUSTRATIVE_PROVIDERS } from './illustrative-providers';
import { homeCareProcessManagers } from './process-managers';
import { homeCareRoutes } from './routes';

export const HOME_CARE_CONTEXT = 'home-care';
export const HOME_CARE_CATEGORIES = ['provider', 'capacityLedger', 'homeCarePackage', 'homeCareCase'] as const;

/**
 * The home-care context: providers, their capacity ledgers, packages and the case register, relayed to
 * `home-care.events.v1`; the discharge and packages process managers; offer expiry and hold lapse.
 * The reference data must know every locality the seeded providers serve, or referrals could never reach them.
 */
export function homeCareContext(referenceData: ReferenceData): ContextDefinition {
  const unknown = ILLUSTRATIVE_PROVIDERS.flatMap((p) => p.localities).filter((code) => !referenceData.area(code));
  if (unknown.length > 0) throw new Error(`Home care: the reference data has no area ${[...new Set(unknown)].join(', ')}`);
  return {
    context: HOME_CARE_CONTEXT,
    categories: HOME_CARE_CATEGORIES,
    processManagers: homeCareProcessManagers,
    deadlineRules: [homeCareDeadlineRule],
    registerCommands: (dispatcher) => {
      for (const { types, route } of homeCareRoutes) dispatcher.register(types, route);
    },
  };
}
