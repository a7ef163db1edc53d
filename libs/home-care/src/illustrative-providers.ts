import type { CommandMetadata } from '@app/event-sourcing';
import type { RegisterProvider } from './provider';

export interface IllustrativeProvider {
  providerId: string;
  name: string;
  localities: string[];
}

/**
 * ILLUSTRATIVE ONLY: seven made-up domiciliary providers shaped like Somerset's D2A market (the source says
 * the system commissions seven), serving its four former districts. The names are invented, not real firms.
 * `PRV-MENDIP-CARE` and `PRV-TAUNTON-HOMECARE` are the organisations of the standalone demo provider users,
 * and both serve Sedgemoor, so a demo journey can offer one package to two providers.
 */
export const ILLUSTRATIVE_PROVIDERS: readonly IllustrativeProvider[] = [
  { providerId: 'PRV-MENDIP-CARE', name: 'Mendip Care at Home (illustrative)', localities: ['MENDIP', 'SEDGEMOOR'] },
  { providerId: 'PRV-LEVELS-HOMECARE', name: 'Levels and Moors Homecare (illustrative)', localities: ['MENDIP', 'SEDGEMOOR'] },
  { providerId: 'PRV-PARRETT-VALE', name: 'Parrett Vale Reablement (illustrative)', localities: ['SEDGEMOOR'] },
  {
    providerId: 'PRV-QUANTOCK-CARE',
    name: 'Quantock Community Care (illustrative)',
    localities: ['SEDGEMOOR', 'SOMERSET_WEST_AND_TAUNTON'],
  },
  {
    providerId: 'PRV-TAUNTON-HOMECARE',
    name: 'Taunton Homecare (illustrative)',
    localities: ['SOMERSET_WEST_AND_TAUNTON', 'SEDGEMOOR'],
  },
  { providerId: 'PRV-YEO-VALLEY', name: 'Yeo Valley Care at Home (illustrative)', localities: ['SOUTH_SOMERSET'] },
  {
    providerId: 'PRV-BLACKDOWN-CARE',
    name: 'Blackdown Hills Homecare (illustrative)',
    localities: ['SOUTH_SOMERSET', 'SOMERSET_WEST_AND_TAUNTON'],
  },
];

/** Registers the illustrative providers; each command id derives from the caller's, so a re-run writes nothing new. */
export const seedCommands = (metadata: CommandMetadata): RegisterProvider[] =>
  ILLUSTRATIVE_PROVIDERS.map((provider) => ({
    type: 'RegisterProvider',
    data: { providerId: provider.providerId, name: provider.name, localities: [...provider.localities] },
    metadata: { ...metadata, commandId: `${metadata.commandId}:seed:${provider.providerId}` },
  }));
