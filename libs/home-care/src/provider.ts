import { assertNever, type Command, type Decider, type DomainEvent } from '@app/event-sourcing';
import { assertLocality, assertProviderId, assertRole, oneOf, refuse } from './common';

export const SUSPENSION_REASONS = [
  'cqc-enforcement',
  'safeguarding-concern',
  'contract-breach',
  'business-continuity',
  'provider-request',
] as const;
export type SuspensionReason = (typeof SUSPENSION_REASONS)[number];

// ─── Events ─────────────────────────────────────────────────────────────────────────────────────────────

export type ProviderRegistered = DomainEvent<
  'ProviderRegistered',
  { providerId: string; name: string; localities: string[]; registeredAt: string }
>;
export type ProviderSuspended = DomainEvent<
  'ProviderSuspended',
  { providerId: string; reason: SuspensionReason; suspendedAt: string }
>;
export type ProviderReinstated = DomainEvent<'ProviderReinstated', { providerId: string; reinstatedAt: string }>;

export type ProviderEvent = ProviderRegistered | ProviderSuspended | ProviderReinstated;

// ─── Commands ───────────────────────────────────────────────────────────────────────────────────────────

export type RegisterProvider = Command<'RegisterProvider', { providerId: string; name: string; localities: string[] }>;
export type SuspendProvider = Command<'SuspendProvider', { providerId: string; reason: SuspensionReason }>;
export type ReinstateProvider = Command<'ReinstateProvider', { providerId: string }>;

export type ProviderCommand = RegisterProvider | SuspendProvider | ReinstateProvider;

// ─── State ──────────────────────────────────────────────────────────────────────────────────────────────

export interface ProviderFacts {
  providerId: string;
  name: string;
  localities: readonly string[];
}

export type Provider =
  | { status: 'none' }
  | (ProviderFacts & { status: 'active' })
  | (ProviderFacts & { status: 'suspended'; suspendedFor: SuspensionReason });

export const initialProvider = (): Provider => ({ status: 'none' });

export const providerStreamOf = (providerId: string): string => `provider-${providerId}`;

export const evolveProvider = (state: Provider, event: ProviderEvent): Provider => {
  if (event.type === 'ProviderRegistered') {
    const { providerId, name, localities } = event.data;
    return { status: 'active', providerId, name, localities };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'ProviderSuspended':
      return { ...state, status: 'suspended', suspendedFor: event.data.reason };
    case 'ProviderReinstated': {
      const { providerId, name, localities } = state;
      return { status: 'active', providerId, name, localities };
    }
    default:
      return assertNever(event);
  }
};

const existing = (state: Provider) => {
  if (state.status === 'none') throw refuse('PROVIDER_NOT_FOUND', 'There is no such provider', 'not_found');
  return state;
};

export const decideProvider = (command: ProviderCommand, state: Provider): ProviderEvent[] => {
  const { actor, now } = command.metadata;
  switch (command.type) {
    case 'RegisterProvider': {
      assertRole(actor, ['hub', 'admin', 'system'], 'register a provider');
      const { providerId, name, localities } = command.data;
      assertProviderId(providerId);
      if (state.status !== 'none') throw refuse('PROVIDER_EXISTS', `Provider ${providerId} is already registered`, 'conflict');
      if (typeof name !== 'string' || name.trim() === '' || name.length > 120) {
        throw refuse('INVALID_PROVIDER_NAME', 'A provider needs a name of at most 120 characters');
      }
      if (!Array.isArray(localities) || localities.length === 0) {
        throw refuse('NO_LOCALITIES', 'A provider serves at least one locality');
      }
      localities.forEach(assertLocality);
      if (new Set(localities).size !== localities.length) throw refuse('DUPLICATE_LOCALITY', 'A locality is listed twice');
      return [
        { type: 'ProviderRegistered', data: { providerId, name: name.trim(), localities: [...localities], registeredAt: now } },
      ];
    }
    case 'SuspendProvider': {
      assertRole(actor, ['hub', 'admin'], 'suspend a provider');
      const found = existing(state);
      const reason = oneOf(SUSPENSION_REASONS, command.data.reason, 'UNKNOWN_SUSPENSION_REASON', 'reason');
      if (found.status === 'suspended') throw refuse('ALREADY_SUSPENDED', 'The provider is already suspended', 'conflict');
      return [{ type: 'ProviderSuspended', data: { providerId: found.providerId, reason, suspendedAt: now } }];
    }
    case 'ReinstateProvider': {
      assertRole(actor, ['hub', 'admin'], 'reinstate a provider');
      const found = existing(state);
      if (found.status !== 'suspended') throw refuse('NOT_SUSPENDED', 'The provider is not suspended', 'conflict');
      return [{ type: 'ProviderReinstated', data: { providerId: found.providerId, reinstatedAt: now } }];
    }
    default:
      return assertNever(command);
  }
};

export const providerDecider: Decider<Provider, ProviderCommand, ProviderEvent> = {
  initialState: initialProvider,
  evolve: evolveProvider,
  decide: decideProvider,
};

/**
 * The provider's standing is another aggregate than the ledger, so the handler that declares capacity or
 * offers a package loads the provider and calls this first. A suspension racing a declaration may lose by
 * milliseconds; that is acceptable for an administrative status (the next offer is refused), unlike the
 * hours themselves, which the ledger guards with its expected revision.
 */
export const assertProviderMayTake = (provider: Provider, locality: string, what: 'declare capacity' | 'take offers'): void => {
  if (provider.status === 'none') throw refuse('PROVIDER_NOT_FOUND', 'There is no such provider', 'not_found');
  if (provider.status === 'suspended') {
    throw refuse('PROVIDER_SUSPENDED', `The provider is suspended (${provider.suspendedFor}) and cannot ${what}`, 'conflict');
  }
  if (!provider.localities.includes(locality)) {
    throw refuse('LOCALITY_NOT_SERVED', `${provider.name} does not serve ${locality}`, 'unprocessable', { locality });
  }
};
