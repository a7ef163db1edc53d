import { InvalidConfiguration, validateEnvironment } from './environment';

describe('configuration', () => {
  it('given nothing set, then the embedded defaults apply', () => {
    expect(validateEnvironment({})).toMatchObject({
      PORT: 3000,
      DATA_DIR: './data',
      EVENT_STORE: 'sqlite',
      BUS: 'in-process',
      SQLITE_SYNCHRONOUS: 'FULL',
      AUTH_MODE: 'dev',
    });
  });

  it('given bad values, then start-up stops with a message naming each variable', () => {
    expect(() => validateEnvironment({ PORT: 'eighty', EVENT_STORE: 'postgres' })).toThrow(InvalidConfiguration);
    try {
      validateEnvironment({ PORT: 'eighty', EVENT_STORE: 'postgres' });
    } catch (error) {
      expect((error as Error).message).toMatch(/PORT="eighty"/);
      expect((error as Error).message).toMatch(/EVENT_STORE="postgres": EVENT_STORE must be one of/);
    }
  });

  it('given EVENT_STORE=eventstoredb without a connection string, then it says which variable is missing', () => {
    expect(() => validateEnvironment({ EVENT_STORE: 'eventstoredb' })).toThrow(/EVENTSTORE_CONNECTION_STRING is required/);
    expect(() => validateEnvironment({ BUS: 'kafka' })).toThrow(/KAFKA_BROKERS is required/);
  });

  it('given production, then the development issuer is refused', () => {
    expect(() => validateEnvironment({ NODE_ENV: 'production', AUTH_MODE: 'dev' })).toThrow(/AUTH_MODE=dev/);
    expect(() => validateEnvironment({ NODE_ENV: 'production', AUTH_MODE: 'oidc' })).toThrow(/OIDC_ISSUER is required/);
  });

  it('given security settings, then CORS origins are a list, production limits are strict, and a bad value is named', () => {
    expect(validateEnvironment({})).toMatchObject({ CORS_ORIGINS: [], RATE_LIMIT_LOGIN: 1000, RATE_LIMIT_WRITES: 100_000 });
    expect(validateEnvironment({ CORS_ORIGINS: 'https://a.example.nhs.uk, http://localhost:5173' }).CORS_ORIGINS).toEqual([
      'https://a.example.nhs.uk',
      'http://localhost:5173',
    ]);
    const production = {
      NODE_ENV: 'production',
      AUTH_MODE: 'oidc',
      OIDC_ISSUER: 'i',
      OIDC_AUDIENCE: 'a',
      OIDC_JWKS_URL: 'https://i/jwks',
    };
    expect(validateEnvironment(production)).toMatchObject({ RATE_LIMIT_LOGIN: 10, RATE_LIMIT_WRITES: 300 });
    expect(validateEnvironment({ ...production, RATE_LIMIT_WRITES: '50' }).RATE_LIMIT_WRITES).toBe(50);
    expect(() => validateEnvironment({ CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS="\*": CORS_ORIGINS must be/);
    expect(() => validateEnvironment({ CORS_ORIGINS: 'https://a.example/path' })).toThrow(/CORS_ORIGINS/);
    expect(() => validateEnvironment({ RATE_LIMIT_WRITES: 'lots' })).toThrow(/RATE_LIMIT_WRITES="lots"/);
    expect(() => validateEnvironment({ RATE_LIMIT_WINDOW_SECONDS: '0' })).toThrow(/RATE_LIMIT_WINDOW_SECONDS="0"/);
  });
});
