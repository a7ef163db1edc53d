/**
 * Durable commands per second over HTTP: the built standalone app (SQLite, synchronous=FULL, group commit, the
 * in-process bus, every projection live) under a realistic mix of referrals, pathway assignments, capacity returns
 * and bed reservations (reserve, then release, on a bed of the worker's own), against a bare Nest-on-Fastify endpoint
 * with the same ValidationPipe and the same referral DTO, measured in the same run: the framework ceiling.
 *
 *   npm run bench:http
 *   BENCH_SECONDS=20 BENCH_CONNECTIONS=50 BENCH_LOG_LEVEL=info BENCH_CPU_PROF=1 npm run bench:http
 *
 * The load generator is in this file: keep-alive connections over raw sockets (one request at a time on each),
 * cheap enough that on 2 cores the servers, not it, are the limit. Each server runs in its own process; latency is
 * measured by the client, from the write of a request to the last byte of its answer. BENCH_CPU_PROF=1 profiles the
 * standalone app during the measured window (node:inspector) and prints the heaviest frames. The app logs at
 * BENCH_LOG_LEVEL (default info, the production default: one line per request) to /dev/null.
 *
 * Figures are printed, never asserted. It uses the build the reliability suite uses (dist/ when fresh, otherwise a
 * private build of the current sources).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { cpus, loadavg, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureStandaloneBuild } from '../test/reliability/support/global-setup';
import { distDir, freePort, openStore, sleep } from '../test/reliability/support/standalone';
import { aCapacityReturn, aPathway, aReferral, HUB, WARD } from '../test/reliability/support/workload';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'info';
const CPU_PROF = process.env.BENCH_CPU_PROF === '1';
const ROOT = join(__dirname, '..');

/** The mix, by weight. Reservations alternate reserve and release on the connection's own (request, bed). */
const MIX = [
  ['referral', 35],
  ['pathway', 30],
  ['capacity', 25],
  ['reservation', 10],
] as const;
type Kind = (typeof MIX)[number][0] | 'bare';

// ---------------------------------------------------------------------------------------------------------------
// A minimal keep-alive HTTP/1.1 client over a raw socket: one request in flight per connection
// ---------------------------------------------------------------------------------------------------------------

interface Answer {
  status: number;
  body: string;
}

class Connection {
  private socket: Socket;
  private buffer: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (a: Answer) => void; reject: (e: Error) => void } | undefined;

  constructor(
    private readonly port: number,
    private readonly host = '127.0.0.1',
  ) {
    this.socket = this.open();
  }

  private open(): Socket {
    const socket = connect(this.port, this.host);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.parse();
    });
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('connection closed')));
    return socket;
  }

  private fail(error: Error) {
    const waiting = this.waiting;
    this.waiting = undefined;
    this.buffer = Buffer.alloc(0);
    if (waiting) {
      this.socket.destroy();
      this.socket = this.open();
      waiting.reject(error);
    }
  }

  private parse() {
    if (!this.waiting) return;
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = this.buffer.subarray(0, end).toString('latin1');
    const match = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    const length = match ? Number(match[1]) : 0;
    if (this.buffer.length < end + 4 + length) return;
    const body = this.buffer.subarray(end + 4, end + 4 + length).toString('utf8');
    this.buffer = this.buffer.subarray(end + 4 + length);
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting.resolve({ status: Number(head.slice(9, 12)), body });
  }

  request(method: string, path: string, token: string | undefined, body?: string): Promise<Answer> {
    const length = body === undefined ? 0 : Buffer.byteLength(body);
    const head =
      `${method} ${path} HTTP/1.1\r\nhost: localhost\r\n` +
      (token ? `authorization: Bearer ${token}\r\n` : '') +
      (body === undefined ? '' : `content-type: application/json\r\ncontent-length: ${length}\r\n`) +
      '\r\n';
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(body === undefined ? head : head + body);
    });
  }

  close() {
    this.socket.removeAllListeners('close');
    this.socket.destroy();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The driver: every connection loops "request, await, request" until the deadline
// ---------------------------------------------------------------------------------------------------------------

interface Job {
  kind: Kind;
  method: string;
  path: string;
  token?: string;
  body?: string;
  /** Told the answer (warm-up included), to move the connection's own state on. */
  then?: (answer: Answer) => void;
}

interface Tally {
  ok: number;
  other: Map<number, number>;
  errors: number;
  latencies: number[];
}

interface RunResult {
  seconds: number;
  byKind: Map<Kind, Tally>;
}

async function drive(port: number, jobFor: (connection: number) => Job): Promise<RunResult> {
  const connections = Array.from({ length: CONNECTIONS }, () => new Connection(port));
  const byKind = new Map<Kind, Tally>();
  const tally = (kind: Kind) => {
    let t = byKind.get(kind);
    if (!t) byKind.set(kind, (t = { ok: 0, other: new Map(), errors: 0, latencies: [] }));
    return t;
  };
  const warmEnd = performance.now() + WARMUP_SECONDS * 1000;
  const deadline = warmEnd + SECONDS * 1000;
  let lastSettled = warmEnd;
  let measuring = false;
  await Promise.all(
    connections.map(async (connection, n) => {
      while (performance.now() < deadline) {
        const job = jobFor(n);
        const started = performance.now();
        if (!measuring && started >= warmEnd) {
          measuring = true;
          onWarm?.();
        }
        try {
          const answer = await connection.request(job.method, job.path, job.token, job.body);
          const now = performance.now();
          job.then?.(answer);
          if (started >= warmEnd) {
            const t = tally(job.kind);
            if (answer.status >= 200 && answer.status < 300) {
              t.ok++;
              t.latencies.push(now - started);
            } else t.other.set(answer.status, (t.other.get(answer.status) ?? 0) + 1);
            lastSettled = now;
          }
        } catch {
          if (started >= warmEnd) tally(job.kind).errors++;
          await sleep(10);
        }
      }
    }),
  );
  connections.forEach((c) => c.close());
  return { seconds: (Math.max(deadline, lastSettled) - warmEnd) / 1000, byKind };
}
let onWarm: (() => void) | undefined;

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

// ---------------------------------------------------------------------------------------------------------------
// The servers
// ---------------------------------------------------------------------------------------------------------------

interface Server {
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function spawnServer(args: string[], env: Record<string, string>, ready: string): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules'), PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  for (const started = Date.now(); ; await sleep(50)) {
    if (child.exitCode !== null) throw new Error(`server exited during start-up: ${stderr}`);
    if (Date.now() - started > 60_000) throw new Error(`server not ready in 60 s: ${stderr}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}${ready}`)).status < 500) break;
    } catch {
      // not yet
    }
  }
  return {
    port,
    child,
    stop: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** `--bare`: Nest on Fastify, the app's ValidationPipe, one POST validating the app's own referral DTO. */
async function serveBare() {
  /* eslint-disable @typescript-eslint/no-require-imports */
  require('reflect-metadata');
  const dist = distDir();
  const { Controller, Module, Post, Body, HttpCode } = require('@nestjs/common');
  const { NestFactory } = require('@nestjs/core');
  const { FastifyAdapter } = require('@nestjs/platform-fastify');
  const { commandValidationPipe } = require(join(dist, 'libs/platform/src/http/validation.js'));
  const { SubmitReferralDto } = require(join(dist, 'libs/discharge/src/discharge.dtos.js'));
  /* eslint-enable @typescript-eslint/no-require-imports */
  class BareController {
    refer(body: { area: string }) {
      return { streamId: `bare-${body.area}`, revision: 0, position: '1', events: [] };
    }
    live() {
      return { status: 'ok' };
    }
    unvalidated(body: { area: string }) {
      return { streamId: `bare-${body.area}`, revision: 0, position: '1', events: [] };
    }
  }
  const unvalidated = Object.getOwnPropertyDescriptor(BareController.prototype, 'unvalidated')!;
  Body()(BareController.prototype, 'unvalidated', 0);
  HttpCode(201)(BareController.prototype, 'unvalidated', unvalidated);
  Post('bare/unvalidated')(BareController.prototype, 'unvalidated', unvalidated);
  const refer = Object.getOwnPropertyDescriptor(BareController.prototype, 'refer')!;
  Reflect.defineMetadata('design:paramtypes', [SubmitReferralDto], BareController.prototype, 'refer');
  Body()(BareController.prototype, 'refer', 0);
  HttpCode(201)(BareController.prototype, 'refer', refer);
  Post('bare/referrals')(BareController.prototype, 'refer', refer);
  const { Get } = require('@nestjs/common'); // eslint-disable-line @typescript-eslint/no-require-imports
  Get('health/live')(BareController.prototype, 'live', Object.getOwnPropertyDescriptor(BareController.prototype, 'live')!);
  Controller()(BareController);
  class BareModule {}
  Module({ controllers: [BareController] })(BareModule);
  const app = await NestFactory.create(BareModule, new FastifyAdapter({ bodyLimit: 262_144, trustProxy: true }), {
    logger: false,
  });
  app.useGlobalPipes(commandValidationPipe());
  app.enableShutdownHooks();
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
}

/** A preload for the app: SIGWINCH (Nest's shutdown hooks take SIGUSR2) starts the sampling profiler, the next writes the profile to $CPU_PROFILE. */
const PROFILER_PRELOAD = `
const inspector = require('node:inspector');
const fs = require('node:fs');
const session = new inspector.Session();
session.connect();
let running = false;
process.on('SIGWINCH', () => {
  if (!running) {
    running = true;
    session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 500 }, () => session.post('Profiler.start')));
  } else {
    session.post('Profiler.stop', (error, result) => {
      if (!error) fs.writeFileSync(process.env.CPU_PROFILE, JSON.stringify(result.profile));
    });
  }
});
`;

// ---------------------------------------------------------------------------------------------------------------
// The standalone app's workload
// ---------------------------------------------------------------------------------------------------------------

async function signIn(port: number, userId: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/auth/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

async function api(port: number, token: string, method: string, path: string, body?: object) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function prepareMix(port: number) {
  const tokens = { ward: await signIn(port, WARD), hub: await signIn(port, HUB) };
  const providers = (
    (await api(port, tokens.hub, 'GET', '/api/home-care/providers')) as Array<{ providerId: string; localities: string[] }>
  ).flatMap((p) => p.localities.map((locality) => ({ providerId: p.providerId, locality })));
  // One (bed request, bed) per connection for the reservations: P2 cases, their requests, a bed each.
  const caseIds: string[] = [];
  for (let n = 0; n < CONNECTIONS; n++)
    caseIds.push((await api(port, tokens.ward, 'POST', '/api/discharge-cases', aReferral(n, 2))).caseId);
  for (const caseId of caseIds) await api(port, tokens.hub, 'POST', `/api/discharge-cases/${caseId}/pathway`, aPathway(2));
  let requests: Array<{ requestId: string }> = [];
  for (let i = 0; i < 100 && requests.length < caseIds.length; i++) {
    await sleep(100);
    requests = await api(port, tokens.hub, 'GET', '/api/bed-base/requests');
  }
  const pairs: Array<{ requestId: string; bedId: string; reservationId?: string }> = [];
  const taken = new Set<string>();
  for (const { requestId } of requests) {
    const recommendation = await api(port, tokens.hub, 'GET', `/api/bed-base/requests/${requestId}/recommendation`);
    const bed = (recommendation.ranked as Array<{ bedId: string }>).find((b) => !taken.has(b.bedId));
    if (!bed) continue;
    taken.add(bed.bedId);
    pairs.push({ requestId, bedId: bed.bedId });
  }

  const toAssign: string[] = [];
  let n = 0;
  const weights = MIX.reduce((sum, [, w]) => sum + w, 0);
  const pick = (): Kind => {
    let r = Math.random() * weights;
    for (const [kind, w] of MIX) if ((r -= w) < 0) return kind;
    return 'referral';
  };
  const jobFor = (connection: number): Job => {
    let kind = pick();
    if (kind === 'pathway' && toAssign.length === 0) kind = 'referral';
    const pair = pairs[connection];
    if (kind === 'reservation' && !pair) kind = 'capacity';
    const i = n++;
    switch (kind) {
      case 'referral':
        return {
          kind,
          method: 'POST',
          path: '/api/discharge-cases',
          token: tokens.ward,
          // Most go home (P1, no package here); one in five to a bed, which opens a bed request through the bus.
          body: JSON.stringify(aReferral(i, i % 5 === 0 ? 2 : 1)),
          then: (a) => {
            if (a.status === 201) toAssign.push(`${JSON.parse(a.body).caseId}|${i % 5 === 0 ? 2 : 1}`);
          },
        };
      case 'pathway': {
        const [caseId, pathway] = toAssign.shift()!.split('|');
        return {
          kind,
          method: 'POST',
          path: `/api/discharge-cases/${caseId}/pathway`,
          token: tokens.hub,
          body: JSON.stringify(aPathway(Number(pathway) as 1 | 2)),
        };
      }
      case 'capacity': {
        const ledger = providers[i % providers.length];
        return {
          kind,
          method: 'POST',
          path: `/api/home-care/providers/${ledger.providerId}/capacity`,
          token: tokens.hub,
          body: JSON.stringify(aCapacityReturn(i, ledger.locality, Math.floor(i / providers.length) % 15)),
        };
      }
      default:
        return pair.reservationId
          ? {
              kind: 'reservation',
              method: 'POST',
              path: `/api/bed-base/requests/${pair.requestId}/reservations/${pair.reservationId}/release`,
              token: tokens.hub,
              body: '{}',
              then: (a) => {
                if (a.status === 200) pair.reservationId = undefined;
              },
            }
          : {
              kind: 'reservation',
              method: 'POST',
              path: `/api/bed-base/requests/${pair.requestId}/reservations`,
              token: tokens.hub,
              body: JSON.stringify({ bedId: pair.bedId, expiresInHours: 24 }),
              then: (a) => {
                if (a.status === 201) pair.reservationId = JSON.parse(a.body).reservationId;
              },
            };
    }
  };
  return { jobFor, pairs: pairs.length };
}

// ---------------------------------------------------------------------------------------------------------------
// The CPU profile: self time by frame and by package
// ---------------------------------------------------------------------------------------------------------------

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

function summariseProfile(file: string, what: string) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    startTime: number;
    endTime: number;
    samples: number[];
  };
  const total = profile.samples.length;
  const where = (url: string) => {
    if (!url) return '';
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (pkg) return pkg[1];
    const lib = /\/(libs|apps)\/([^/]+)\/src\/(.+)$/.exec(url);
    if (lib) return `${lib[1]}/${lib[2]}/${lib[3]}`;
    return url.replace(/^node:/, 'node:');
  };
  const byFrame = new Map<string, number>();
  const byArea = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (!hits) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const place = where(url);
    const frame = `${functionName || '(anonymous)'}${place ? `  ${place}:${lineNumber + 1}` : ''}`;
    byFrame.set(frame, (byFrame.get(frame) ?? 0) + hits);
    const area = !url
      ? functionName
      : /node_modules/.test(url)
        ? place
        : /\/(libs|apps)\//.test(url)
          ? `app: ${place.split('/').slice(0, 2).join('/')}`
          : 'node internals';
    byArea.set(area, (byArea.get(area) ?? 0) + hits);
  }
  // Native frames (better-sqlite3's run/all/exec, the socket's writev) by the JavaScript that called them.
  const parent = new Map<number, ProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node);
  const byCaller = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (!hits || node.callFrame.url || node.callFrame.functionName.startsWith('(')) continue;
    // Up past anonymous wrappers to the first named JavaScript frame.
    let caller = parent.get(node.id);
    while (caller && (!caller.callFrame.url || !caller.callFrame.functionName) && parent.get(caller.id))
      caller = parent.get(caller.id);
    const c = caller?.callFrame;
    const key = `${node.callFrame.functionName} ← ${c ? `${c.functionName || '(anonymous)'}  ${where(c.url)}:${c.lineNumber + 1}` : '?'}`;
    byCaller.set(key, (byCaller.get(key) ?? 0) + hits);
  }
  const pct = (n: number) => `${((100 * n) / total).toFixed(1)}%`;
  console.log(`\nCPU profile of ${what} over the measured window (${total} samples at 0.5 ms): self time`);
  console.table(
    [...byArea]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 14)
      .map(([area, hits]) => ({ 'package / area': area, self: pct(hits) })),
  );
  console.table(
    [...byFrame]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 20)
      .map(([frame, hits]) => ({ frame, self: pct(hits) })),
  );
  console.table(
    [...byCaller]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([frame, hits]) => ({ 'native frame ← caller': frame, self: pct(hits) })),
  );
}

// ---------------------------------------------------------------------------------------------------------------

function row(target: string, result: RunResult, kinds?: Kind[]) {
  const tallies = [...result.byKind].filter(([k]) => !kinds || kinds.includes(k)).map(([, t]) => t);
  const ok = tallies.reduce((s, t) => s + t.ok, 0);
  const latencies = tallies.flatMap((t) => t.latencies).sort((a, b) => a - b);
  const other = new Map<number, number>();
  for (const t of tallies) for (const [status, n] of t.other) other.set(status, (other.get(status) ?? 0) + n);
  return {
    target,
    '2xx/s': Math.round(ok / result.seconds),
    'p50 ms': Number(percentile(latencies, 50).toFixed(2)),
    'p99 ms': Number(percentile(latencies, 99).toFixed(2)),
    'max ms': Number((latencies[latencies.length - 1] ?? NaN).toFixed(1)),
    'non-2xx': [...other].map(([s, n]) => `${n}×${s}`).join(' ') || '0',
    errors: tallies.reduce((s, t) => s + t.errors, 0),
  };
}

async function main() {
  ensureStandaloneBuild();
  const dist = distDir();
  console.log(
    `HTTP bench: ${CONNECTIONS} keep-alive connections, ${WARMUP_SECONDS} s warm-up + ${SECONDS} s measured per target; ` +
      `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}, Linux ${release()}, Node ${process.version}; build ${dist}`,
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'toc-bench-http-'));
  const profileFile = join(dataDir, 'standalone.cpuprofile');
  const preload = join(dataDir, 'profiler-preload.js');
  writeFileSync(preload, PROFILER_PRELOAD);
  const results: Array<ReturnType<typeof row>> = [];
  let ratio = NaN;
  try {
    // The standalone app.
    const appStarted = Date.now();
    const app = await spawnServer(
      [...(CPU_PROF ? ['-r', preload] : []), join(dist, 'apps', 'standalone', 'src', 'main.js')],
      {
        NODE_ENV: 'development',
        DATA_DIR: join(dataDir, 'data'),
        HOST: '127.0.0.1',
        LOG_LEVEL,
        RATE_LIMIT_WRITES: '0',
        RATE_LIMIT_LOGIN: '0',
        CPU_PROFILE: profileFile,
        REFERENCE_DATA_FILE: join(ROOT, 'libs', 'reference-data', 'data', 'somerset-illustrative.json'),
      },
      '/health/ready',
    );
    const appReadyMs = Date.now() - appStarted;
    const { jobFor, pairs } = await prepareMix(app.port);
    const store = openStore(join(dataDir, 'data'));
    const head = () => (store.prepare('SELECT max(position) AS p FROM events').get() as { p: number }).p;
    let headAtStart = 0;
    onWarm = () => {
      headAtStart = head();
      if (CPU_PROF) app.child.kill('SIGWINCH');
    };
    const standalone = await drive(app.port, jobFor);
    const eventsWritten = head() - headAtStart;
    if (CPU_PROF) app.child.kill('SIGWINCH');
    store.close();
    if (CPU_PROF) for (let i = 0; i < 100 && !existsSync(profileFile); i++) await sleep(100);
    await app.stop();

    // The framework ceiling.
    const bareProfile = join(dataDir, 'bare.cpuprofile');
    const bare = await spawnServer(
      [...(CPU_PROF ? ['-r', preload] : []), '-r', require.resolve('ts-node/register/transpile-only'), __filename, '--bare'],
      { RELIABILITY_DIST: dist, CPU_PROFILE: bareProfile },
      '/health/live',
    );
    // Bodies made in advance, so that the generator's own work does not lower the ceiling it measures.
    const bodies = Array.from({ length: 5000 }, (_, i) => JSON.stringify(aReferral(i, 1)));
    let b = 0;
    onWarm = () => {
      if (CPU_PROF) bare.child.kill('SIGWINCH');
    };
    const ceiling = await drive(bare.port, () => ({
      kind: 'bare',
      method: 'POST',
      path: '/bare/referrals',
      body: bodies[b++ % bodies.length],
    }));
    if (CPU_PROF) {
      bare.child.kill('SIGWINCH');
      for (let i = 0; i < 100 && !existsSync(bareProfile); i++) await sleep(100);
    }
    onWarm = undefined;
    const bareUnvalidated = await drive(bare.port, () => ({
      kind: 'bare',
      method: 'POST',
      path: '/bare/unvalidated',
      body: bodies[b++ % bodies.length],
    }));
    const bareGet = await drive(bare.port, () => ({ kind: 'bare', method: 'GET', path: '/health/live' }));
    await bare.stop();

    const all = row('standalone: the mix (durable commands)', standalone);
    results.push(all);
    for (const [kind] of MIX) results.push(row(`  ${kind}`, standalone, [kind]));
    const ceilingRow = row('bare Nest+Fastify, same ValidationPipe + referral DTO', ceiling);
    results.push(ceilingRow);
    results.push(row('bare Nest+Fastify, same POST body, no DTO (not validated)', bareUnvalidated));
    results.push(row('bare Nest+Fastify, GET without a body (no validation)', bareGet));
    ratio = all['2xx/s'] / ceilingRow['2xx/s'];
    console.table(results);
    console.log(
      `ratio standalone ÷ framework ceiling: ${ratio.toFixed(2)}× · events appended in the window: ${eventsWritten} ` +
        `(${Math.round(eventsWritten / standalone.seconds)}/s, incl. process managers) · reservation pairs: ${pairs} · ` +
        `app start-up (fresh store, seeding): ${appReadyMs} ms · app log level: ${LOG_LEVEL}`,
    );
    console.log(
      `targets: ≥10,000 cmd/s → ${all['2xx/s'] >= 10_000 ? 'met' : 'NOT met'}; p99 ≤ 20 ms → ${all['p99 ms'] <= 20 ? 'met' : 'NOT met'}; ` +
        `≥0.35× ceiling → ${ratio >= 0.35 ? 'met' : 'NOT met'}`,
    );
    if (CPU_PROF && existsSync(profileFile)) summariseProfile(profileFile, 'the standalone app under the mix');
    if (CPU_PROF && existsSync(bareProfile)) summariseProfile(bareProfile, 'the bare endpoint (POST, validation)');
  } finally {
    if (process.env.KEEP_BENCH_DATA !== '1') rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--bare')) {
  void serveBare();
} else {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
