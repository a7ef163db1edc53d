import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JSONWebKeySet, type JWK } from 'jose';
import { demoUser, type DemoUser } from './demo-users';

export const DEV_ISSUER = 'urn:toc-hub:dev-issuer';
export const DEV_AUDIENCE = 'toc-hub';

export class UnknownDemoUser extends Error {
  override readonly name = 'UnknownDemoUser';
}

/**
 * The standalone product's local token issuer: signs tokens for the demo users with a key kept in
 * DATA_DIR, so tokens survive a restart. It refuses to exist in production.
 */
export class DevIssuer {
  private constructor(
    private readonly privateJwk: JWK,
    readonly publicJwks: JSONWebKeySet,
  ) {}

  static async open(keyFile: string, nodeEnv: string | undefined): Promise<DevIssuer> {
    if (nodeEnv === 'production') {
      throw new Error(
        'The development token issuer cannot run with NODE_ENV=production: configure OIDC_ISSUER, OIDC_AUDIENCE and OIDC_JWKS_URL',
      );
    }
    let privateJwk: JWK;
    if (existsSync(keyFile)) {
      privateJwk = JSON.parse(readFileSync(keyFile, 'utf8')) as JWK;
    } else {
      const { privateKey } = await generateKeyPair('ES256', { extractable: true });
      privateJwk = { ...(await exportJWK(privateKey)), kid: `dev-${Date.now()}`, alg: 'ES256' };
      mkdirSync(dirname(keyFile), { recursive: true });
      writeFileSync(keyFile, JSON.stringify(privateJwk), { mode: 0o600 });
    }
    const { d: _private, ...publicJwk } = privateJwk;
    return new DevIssuer(privateJwk, { keys: [{ ...publicJwk, use: 'sig' }] });
  }

  async issue(userId: string, ttlSeconds = 8 * 3600): Promise<{ accessToken: string; user: DemoUser; expiresIn: number }> {
    const user = demoUser(userId);
    if (!user) throw new UnknownDemoUser(`There is no demo user "${userId}"`);
    const key = await importJWK(this.privateJwk, 'ES256');
    const accessToken = await new SignJWT({ toc_role: user.role, toc_org: user.organisation, name: user.displayName })
      .setProtectedHeader({ alg: 'ES256', kid: this.privateJwk.kid })
      .setSubject(user.userId)
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(key);
    return { accessToken, user, expiresIn: ttlSeconds };
  }
}
