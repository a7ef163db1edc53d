import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsArray,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  ValidateIf,
  validateSync,
} from 'class-validator';

/** Every setting the product reads from the environment. Names follow DESIGN §3. */
export class Environment {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  @IsNotEmpty()
  HOST = '127.0.0.1';

  @IsString()
  @IsNotEmpty()
  DATA_DIR = './data';

  @IsIn(['sqlite', 'eventstoredb'])
  EVENT_STORE: 'sqlite' | 'eventstoredb' = 'sqlite';

  @ValidateIf((env: Environment) => env.EVENT_STORE === 'eventstoredb')
  @IsString()
  @IsNotEmpty({ message: 'EVENTSTORE_CONNECTION_STRING is required when EVENT_STORE=eventstoredb' })
  EVENTSTORE_CONNECTION_STRING?: string;

  @IsIn(['FULL', 'NORMAL', 'EXTRA'])
  SQLITE_SYNCHRONOUS: 'FULL' | 'NORMAL' | 'EXTRA' = 'FULL';

  @IsIn(['in-process', 'kafka'])
  BUS: 'in-process' | 'kafka' = 'in-process';

  @ValidateIf((env: Environment) => env.BUS === 'kafka')
  @IsString()
  @IsNotEmpty({ message: 'KAFKA_BROKERS is required when BUS=kafka (e.g. 127.0.0.1:9092)' })
  KAFKA_BROKERS?: string;

  /** Partitions for each `<context>.events.v1` topic created at start-up. */
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(64)
  KAFKA_PARTITIONS = 3;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @IsOptional()
  @IsIn(['json', 'pretty'])
  LOG_FORMAT?: 'json' | 'pretty';

  /** Write the JSON logs to this file instead of stdout (LOG_FORMAT=pretty is ignored for it). */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  LOG_FILE?: string;

  /** `dev`: the local demo-user issuer (never in production). `oidc`: bearer tokens from OIDC_ISSUER. */
  @IsIn(['dev', 'oidc'])
  AUTH_MODE: 'dev' | 'oidc' = process.env.NODE_ENV === 'production' ? 'oidc' : 'dev';

  @ValidateIf((env: Environment) => env.AUTH_MODE === 'oidc')
  @IsString()
  @IsNotEmpty({ message: 'OIDC_ISSUER is required when AUTH_MODE=oidc' })
  OIDC_ISSUER?: string;

  @ValidateIf((env: Environment) => env.AUTH_MODE === 'oidc')
  @IsString()
  @IsNotEmpty({ message: 'OIDC_AUDIENCE is required when AUTH_MODE=oidc' })
  OIDC_AUDIENCE?: string;

  @ValidateIf((env: Environment) => env.AUTH_MODE === 'oidc')
  @IsUrl(
    { require_tld: false, protocols: ['https', 'http'] },
    { message: "OIDC_JWKS_URL must be the https URL of the issuer's JWKS" },
  )
  OIDC_JWKS_URL?: string;

  /** Largest request body, in bytes. */
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES = 262_144;

  /** Base64 of 32 random bytes; wraps every patient's data key (libs/identity). Required in production. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/, {
    message: 'MASTER_KEY must be the base64 of exactly 32 random bytes (e.g. openssl rand -base64 32)',
  })
  MASTER_KEY?: string;

  /**
   * Origins allowed to call the API from a browser on another origin, comma-separated
   * (`https://hub.example.nhs.uk,https://ward.example.nhs.uk`). Empty (the default): same origin only.
   */
  @Transform(({ value }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((origin) => origin.trim())
          .filter(Boolean)
      : (value ?? []),
  )
  @IsArray()
  @Matches(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/, {
    each: true,
    message:
      'CORS_ORIGINS must be comma-separated origins such as https://hub.example.nhs.uk (scheme, host, optional port; no path)',
  })
  CORS_ORIGINS: string[] = [];

  /**
   * Which peers may set X-Forwarded-For (the client address that rate limits count by): `loopback`,
   * `linklocal`, `uniquelocal` (private networks), addresses or CIDRs, comma-separated; or `true` / `false`.
   * The default trusts a reverse proxy on this host or a private network, never a public peer.
   */
  @IsString()
  @Matches(/^(true|false|[\w.:/,\s-]+)$/, {
    message: 'TRUST_PROXY must be true, false, or comma-separated addresses, CIDRs or loopback/linklocal/uniquelocal',
  })
  TRUST_PROXY = 'loopback,linklocal,uniquelocal';

  /** The window, in seconds, the two rate limits below count over. */
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(3600)
  RATE_LIMIT_WINDOW_SECONDS = 60;

  /** Sign-ins (`POST /auth/dev/token`) per client IP per window; 0 turns the limit off. Default 10 in production, 1000 otherwise. */
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(0)
  RATE_LIMIT_LOGIN = 1_000;

  /**
   * Writes (every other POST) per signed-in user, or per client IP without a valid token, per window; 0 turns it
   * off. Default 300 in production; 100 000 otherwise, so tests, the demo and local tools never trip it.
   */
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(0)
  RATE_LIMIT_WRITES = 100_000;
}

export class InvalidConfiguration extends Error {
  override readonly name = 'InvalidConfiguration';
}

/** Used by ConfigModule: a bad value stops start-up with a message naming each variable. */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const env = plainToInstance(Environment, raw, { exposeDefaultValues: true });
  const errors = validateSync(env, { whitelist: false, skipMissingProperties: false });
  // Production limits unless set: a NODE_ENV given in `raw` (not only in process.env) counts.
  if (env.NODE_ENV === 'production') {
    if (raw.RATE_LIMIT_LOGIN === undefined || raw.RATE_LIMIT_LOGIN === '') env.RATE_LIMIT_LOGIN = 10;
    if (raw.RATE_LIMIT_WRITES === undefined || raw.RATE_LIMIT_WRITES === '') env.RATE_LIMIT_WRITES = 300;
  }
  if (env.NODE_ENV === 'production' && env.AUTH_MODE === 'dev') {
    throw new InvalidConfiguration(
      'Invalid configuration:\n  AUTH_MODE=dev: the development issuer is refused when NODE_ENV=production; use AUTH_MODE=oidc',
    );
  }
  if (errors.length > 0) {
    const lines = errors.map((e) => {
      const value = /CONNECTION_STRING|MASTER_KEY/.test(e.property) ? '(hidden)' : JSON.stringify(raw[e.property]);
      return `  ${e.property}=${value}: ${Object.values(e.constraints ?? {}).join('; ')}`;
    });
    throw new InvalidConfiguration(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return env;
}
