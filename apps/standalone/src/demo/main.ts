import 'reflect-metadata';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createApp, InvalidConfiguration, validateEnvironment } from '@app/platform';
import { loadReferenceData } from '@app/reference-data';
import { ControllableClock } from '@app/time';
import { StandaloneModule } from '../standalone.module';
import { DemoUsageError, parseDemoArgs } from './options';
import { Simulator } from './simulator';

/** Written into the demo's data directory, so a restart may wipe it and nothing else is ever wiped. */
const MARKER = 'DEMO-DATA-WIPED-AT-EACH-START.txt';

/** A fresh data directory each time: the demo's ids come from its seed, so old demo data would collide. */
function freshDataDir(dir: string) {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    if (!existsSync(join(dir, MARKER))) {
      throw new DemoUsageError(
        `DATA_DIR ${dir} holds data that is not the demo's; the demo starts from an empty directory. ` +
          'Unset DATA_DIR (default ./data/demo) or point it at an empty directory.',
      );
    }
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, MARKER), 'Demo data (fictional people, simulated activity). npm run demo wipes this directory.\n');
}

async function main() {
  const options = parseDemoArgs(process.argv.slice(2));
  if (process.env.NODE_ENV === 'production')
    throw new DemoUsageError('The demo signs in as demo users: not with NODE_ENV=production');
  const env = validateEnvironment({
    ...process.env,
    DATA_DIR: process.env.DATA_DIR ?? './data/demo',
    // Demo data is thrown away at the next start: no need to sync every commit to disk.
    SQLITE_SYNCHRONOUS: process.env.SQLITE_SYNCHRONOUS ?? 'NORMAL',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    LOG_FORMAT: process.env.LOG_FORMAT ?? 'pretty',
  });
  freshDataDir(resolve(env.DATA_DIR));

  const clock = new ControllableClock(options.start);
  const webRoot = join(__dirname, '..', '..', '..', '..', 'web');
  const hasWeb = existsSync(join(webRoot, 'index.html'));
  // The simulator fires deadlines itself after moving the clock; the scheduler's own timer is a backstop.
  const module = StandaloneModule.forRoot({ env, clock, deadlineTickMs: 60_000 });
  const app = await createApp(module, { env, webRoot: hasWeb ? webRoot : undefined });
  await app.listen({ port: env.PORT, host: env.HOST });

  const simulator = new Simulator(app, {
    seed: options.seed,
    clock,
    referenceData: loadReferenceData(),
    referralsPerDay: options.referralsPerDay,
    targetSetId: options.targets,
    log: (line) => console.log(line),
  });
  await simulator.init();

  const url = `http://${env.HOST}:${env.PORT}`;
  const split = simulator.targetSplit;
  console.log(
    [
      '',
      `Transfer of Care hub — DEMO on ${url}${hasWeb ? '' : '  (no web UI built: npm run build:web)'}  ·  API docs ${url}/api/docs`,
      `  Simulated activity with fictional people (NHS numbers from the 999 test range). Data in ${env.DATA_DIR}, wiped at each start.`,
      `  Seed ${options.seed} · ${options.referralsPerDay} referrals a day · pathway mix aims at "${split.label}" ` +
        `(P0 ${split.percent[0]}%, P1 ${split.percent[1]}%, P2 ${split.percent[2]}%, P3 ${split.percent[3]}%)`,
      `  Sign in as (POST ${url}/auth/dev/token {"userId": "…"}):`,
      ...simulator.demoUsers.map((u) => `    ${u.userId.padEnd(28)} ${u.role.padEnd(9)} ${u.displayName}`),
      '',
    ].join('\n'),
  );

  const controller = new AbortController();
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    controller.abort();
    console.log('Stopping the demo…');
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());

  const liveFrom = Math.max(Date.now(), options.start.getTime());
  if (options.days > 0 && liveFrom > clock.now().getTime()) {
    console.log(`Playing the last ${options.days} day(s) quickly so the dashboards have history…`);
    const began = Date.now();
    await simulator.runUntil(new Date(liveFrom));
    console.log(
      `History ready in ${((Date.now() - began) / 1000).toFixed(1)} s. Live now: ${options.speed} simulated minutes a second.`,
    );
  }
  // Live: as far ahead as anyone will watch (a year of simulated time), until Ctrl+C.
  await simulator.runUntil(new Date(clock.now().getTime() + 365 * 86_400_000), {
    speed: options.speed,
    signal: controller.signal,
  });
  await stop();
}

main().catch((error) => {
  if (error instanceof DemoUsageError || error instanceof InvalidConfiguration) {
    console.error(error.message);
    process.exit(64);
  }
  console.error('Demo failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
