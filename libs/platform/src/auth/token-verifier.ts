import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { Actor, Role } from '@app/event-sourcing';

const ROLES: readonly Role[] = ['ward', 'hub', 'provider', 'leader', 'admin'];

export class InvalidToken extends Error {
  override readonly name = 'InvalidToken';
}

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  /** A JWKS URL (production: the OIDC provider's), or a local key set (the development issuer's). */
  jwks: URL | JSONWebKeySet;
}

/**
 * Checks a bearer JWT's signature, issuer, audience and expiry, and reads the actor from it:
 * `sub` is the user, `toc_role` the role and `toc_org` the organisation that scopes it.
 */
export class TokenVerifier {
  private readonly keys: JWTVerifyGetKey;

  constructor(private readonly options: TokenVerifierOptions) {
    this.keys = options.jwks instanceof URL ? createRemoteJWKSet(options.jwks) : createLocalJWKSet(options.jwks);
  }

  async verify(token: string): Promise<Actor> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: ['ES256', 'RS256', 'PS256', 'EdDSA'],
        clockTolerance: 30,
      }));
    } catch (error) {
      throw new InvalidToken(error instanceof Error ? error.message : 'The token could not be verified');
    }
    const role = payload.toc_role as Role;
    if (!payload.sub) throw new InvalidToken('The token has no subject');
    if (!ROLES.includes(role)) throw new InvalidToken('The token carries no recognised role');
    if (typeof payload.toc_org !== 'string' || payload.toc_org === '')
      throw new InvalidToken('The token carries no organisation');
    return { userId: payload.sub, role, organisation: payload.toc_org };
  }
}
