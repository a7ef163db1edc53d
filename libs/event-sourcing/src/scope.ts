import type { Actor } from './envelope';
import { DomainRefusal } from './decider';

/** What a record belongs to, for scoping: a ward team sees its own hospital, a provider its own packages. */
export interface RecordScope {
  /** ODS code of the hospital (trust) the record belongs to. */
  hospital?: string;
  /** Provider id for home-care and bed providers. */
  provider?: string;
}

export const isInScope = (actor: Actor, scope: RecordScope): boolean => {
  switch (actor.role) {
    case 'hub':
    case 'admin':
    case 'system':
      return true;
    case 'ward':
      return scope.hospital !== undefined && scope.hospital === actor.organisation;
    case 'provider':
      return scope.provider !== undefined && scope.provider === actor.organisation;
    case 'leader':
      return false;
  }
};

/** Refuses with 403 OUT_OF_SCOPE; the message never echoes the record. */
export const assertInScope = (actor: Actor, scope: RecordScope): void => {
  if (!isInScope(actor, scope)) {
    throw new DomainRefusal(
      'OUT_OF_SCOPE',
      `A ${actor.role} user of ${actor.organisation} cannot act on this record`,
      'forbidden',
    );
  }
};
