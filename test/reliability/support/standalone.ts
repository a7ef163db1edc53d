import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const ROOT = join(__dirname, '..', '..', '..');

/** The build the globalSetup chose (dist/, or a private build of the current sources). */
export const distDir = (): string => process.env.RELIABILITY_DIST ?? join(ROOT, 'dist');

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Standalone {
  url: string;
  port: number;
  pid: number;
  dataDir: string;
  /** Milliseconds from spawn to the first 200 from /health/ready. */
  startedInMs: number;
  /** Everything the process wrote, for failure messages. */
  output(): string;
  /** Resolves with the exit code (or the signal) once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
  /** SIGKILL if still running (cleanup). */
  ensureDead(): Promise<void>;
}

/** Spawns the built standalone app on a free port and `dataDir`, and waits until it is ready. */
export async function startStandalone(
  dataDir: string,
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<Standalone> {
  const port = await freePort();
  const started = Date.now();
  const child: ChildProcess = spawn(process.execPath, [join(distDir(), 'apps', 'standalone', 'src', 'main.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      // A private build lives outside the repository: resolve packages and the reference data from here.
      NODE_PATH: join(ROOT, 'node_modules'),
      REFERENCE_DATA_FILE: join(ROOT, 'libs', 'reference-data', 'data', 'somerset-illustrative.json'),
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_WRITES: '0',
      RATE_LIMIT_LOGIN: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let gone = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      gone = true;
      resolve({ code, signal });
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const instance: Standalone = {
    url,
    port,
    pid: child.pid!,
    dataDir,
    startedInMs: 0,
    output: () => output,
    exited,
    kill: (signal) => {
      if (!gone) child.kill(signal);
    },
    ensureDead: async () => {
      if (!gone) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
  for (;;) {
    if (gone) throw new Error(`the standalone app exited during start-up:\n${output}`);
    if (Date.now() - started > timeoutMs) {
      await instance.ensureDead();
      throw new Error(`the standalone app was not ready within ${timeoutMs} ms:\n${output}`);
    }
    try {
      const response = await fetch(`${url}/health/ready`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(25);
  }
  instance.startedInMs = Date.now() - started;
  return instance;
}

export interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: Headers;
}

/** A command and what became of it: a reply, or an error when the connection was cut (unknown outcome). */
export interface Sent {
  user: string;
  path: string;
  body: object;
  key: string;
  reply?: Reply;
  error?: string;
}

/** The HTTP API as the demo users see it. */
export class Client {
  private readonly tokens = new Map<string, string>();

  constructor(public url: string) {}

  async signIn(...users: string[]): Promise<void> {
    for (const userId of users) {
      const response = await fetch(`${this.url}/auth/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId }),
      });
      if (response.status !== 200 && response.status !== 201) throw new Error(`sign-in as ${userId}: ${response.status}`);
      this.tokens.set(userId, ((await response.json()) as { access_token: string }).access_token);
    }
  }

  token(user: string): string {
    const token = this.tokens.get(user);
    if (!token) throw new Error(`${user} has not signed in`);
    return token;
  }

  private auth(user: string): Record<string, string> {
    return { authorization: `Bearer ${this.token(user)}` };
  }

  async get(user: string, path: string): Promise<Reply> {
    const response = await fetch(`${this.url}${path}`, { headers: this.auth(user) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  }

  /** GET that must answer 200. */
  async ok(user: string, path: string) {
    const reply = await this.get(user, path);
    if (reply.status !== 200) throw new Error(`GET ${path} as ${user}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  }

  async post(user: string, path: string, body: object, key?: string): Promise<Reply> {
    const response = await fetch(`${this.url}${path}`, {
      method: 'POST',
      headers: { ...this.auth(user), 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: response.status, body: parsed, headers: response.headers };
  }

  /** Sends a command with its Idempotency-Key and records the reply, or the error if the connection was cut. */
  async send(command: Omit<Sent, 'reply' | 'error'>): Promise<Sent> {
    try {
      return { ...command, reply: await this.post(command.user, command.path, command.body, command.key) };
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      return { ...command, error: cause?.code ?? cause?.message ?? String(error) };
    }
  }
}

export const is2xx = (sent: Sent): boolean => !!sent.reply && sent.reply.status >= 200 && sent.reply.status < 300;

/** Opens the store read-only (WAL: safe beside the running app). */
export const openStore = (dataDir: string) => new Database(join(dataDir, 'hub.sqlite'), { readonly: true, fileMustExist: true });

/** A consistent copy of the store, taken while the app may still be running. */
export async function copyStore(fromDir: string, toDir: string): Promise<void> {
  const db = openStore(fromDir);
  try {
    await db.backup(join(toDir, 'hub.sqlite'));
  } finally {
    db.close();
  }
}

/** Polls until the store's head has not moved for `quietMs` (relays and process managers have finished). */
export async function quiescent(dataDir: string, quietMs = 1500, timeoutMs = 60_000): Promise<number> {
  const db = openStore(dataDir);
  try {
    const head = () => (db.prepare('SELECT max(position) AS p FROM events').get() as { p: number }).p;
    const deadline = Date.now() + timeoutMs;
    let last = head();
    let since = Date.now();
    while (Date.now() - since < quietMs) {
      if (Date.now() > deadline) throw new Error('the store never went quiet');
      await sleep(100);
      const now = head();
      if (now !== last) {
        last = now;
        since = Date.now();
      }
    }
    return last;
  } finally {
    db.close();
  }
}

/** Runs `count` workers over `jobs` until they are used up or `stop()` says so. */
export async function runWorkers<T>(count: number, next: () => T | undefined, work: (job: T) => Promise<void>) {
  await Promise.all(
    Array.from({ length: count }, async () => {
      for (let job = next(); job !== undefined; job = next()) await work(job);
    }),
  );
}

/**
 * Commands over node:http with a keep-alive agent the caller owns, so a test can hold idle connections open (as
 * browsers and proxies do) and close them when it chooses.
 */
export class KeepAliveClient {
  readonly agent = new Agent({ keepAlive: true, maxSockets: Infinity });

  constructor(
    private readonly url: string,
    private readonly tokens: (user: string) => string,
  ) {}

  /** `onWritten` is called once the whole request has been handed to the operating system. */
  send(command: Omit<Sent, 'reply' | 'error'>, onWritten?: () => void): Promise<Sent> {
    const payload = JSON.stringify(command.body);
    return new Promise((resolve) => {
      const req = request(
        `${this.url}${command.path}`,
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            authorization: `Bearer ${this.tokens(command.user)}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            'idempotency-key': command.key,
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('error', (error: NodeJS.ErrnoException) => resolve({ ...command, error: error.code ?? error.message }));
          res.on('end', () => {
            let body: unknown = text;
            try {
              body = text ? JSON.parse(text) : undefined;
            } catch {
              // not JSON
            }
            const headers = new Headers();
            for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') headers.set(name, value);
            resolve({ ...command, reply: { status: res.statusCode ?? 0, body, headers } });
          });
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => resolve({ ...command, error: error.code ?? error.message }));
      if (onWritten) req.on('finish', onWritten);
      req.end(payload);
    });
  }
}
