import type { Actor } from '@app/event-sourcing';

/** Demo users for the standalone development issuer, one or more per role (DESIGN §4). Not for production. */
export interface DemoUser extends Actor {
  displayName: string;
}

export const DEMO_USERS: readonly DemoUser[] = [
  { userId: 'ward.musgrove', role: 'ward', organisation: 'RH5', displayName: 'Ward discharge team, Musgrove Park' },
  { userId: 'ward.yeovil', role: 'ward', organisation: 'RA4', displayName: 'Ward discharge team, Yeovil District' },
  { userId: 'hub.coordinator', role: 'hub', organisation: 'TOCH', displayName: 'Transfer of Care hub coordinator' },
  {
    userId: 'provider.mendip-care',
    role: 'provider',
    organisation: 'PRV-MENDIP-CARE',
    displayName: 'Mendip Home Care (provider)',
  },
  {
    userId: 'provider.taunton-homecare',
    role: 'provider',
    organisation: 'PRV-TAUNTON-HOMECARE',
    displayName: 'Taunton Homecare (provider)',
  },
  { userId: 'leader.ics', role: 'leader', organisation: 'ICB', displayName: 'System leader, integrated care board' },
  { userId: 'admin', role: 'admin', organisation: 'TOCH', displayName: 'Hub administrator' },
];

export const demoUser = (userId: string): DemoUser | undefined => DEMO_USERS.find((u) => u.userId === userId);
