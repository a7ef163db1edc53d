import type { CommandMetadata } from '../decider';
import type { Actor } from '../envelope';

/** The demo users every context's specs act as (each context adds its own system actor). */
export const actors: Readonly<Record<'hub' | 'admin' | 'ward' | 'otherWard' | 'leader' | 'provider', Actor>> = {
  hub: { userId: 'hub.coordinator', role: 'hub', organisation: 'TOCH' },
  admin: { userId: 'admin', role: 'admin', organisation: 'TOCH' },
  ward: { userId: 'ward.musgrove', role: 'ward', organisation: 'RH5' },
  otherWard: { userId: 'ward.yeovil', role: 'ward', organisation: 'RA4' },
  leader: { userId: 'leader.ics', role: 'leader', organisation: 'ICB' },
  provider: { userId: 'provider.mendip-care', role: 'provider', organisation: 'PRV-MENDIP-CARE' },
};

/** Who and when, for any command builder. */
export interface Issued {
  by?: Actor;
  at?: string;
}

/** A command's metadata in specs: one fixed command id, which is also its correlation id. */
export const commandMetadata = (by: Actor, at: string, commandId = 'command-1'): CommandMetadata => ({
  commandId,
  correlationId: commandId,
  actor: by,
  now: at,
});
