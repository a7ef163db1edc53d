import type { ContextDefinition } from '@app/platform';
import type { ReferenceData } from '@app/reference-data';
import { reservationExpiryRule } from './deadlines';
import { bedBaseProcessManagers } from './process-managers';
import { BED_BASE_CATEGORIES, BED_BASE_CONTEXT, bedBaseRulesFrom, registerBedBaseCommands } from './routes';

/**
 * The bed-base context: sites, beds, bed requests and the case → request index. All four categories are
 * relayed to `bed-base.events.v1`: the requests process manager carries each fact to the next aggregate.
 */
export function bedBaseContext(referenceData: ReferenceData): ContextDefinition {
  const rules = bedBaseRulesFrom(referenceData);
  return {
    context: BED_BASE_CONTEXT,
    categories: BED_BASE_CATEGORIES,
    processManagers: bedBaseProcessManagers,
    deadlineRules: [reservationExpiryRule],
    registerCommands: (dispatcher) => registerBedBaseCommands(dispatcher, rules),
  };
}
