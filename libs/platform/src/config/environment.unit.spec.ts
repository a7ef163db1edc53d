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
});
