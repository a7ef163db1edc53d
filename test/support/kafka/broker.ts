import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaBus } from '@app/messaging';

/**
 * A real single-node Kafka broker for a test suite, run by kafka.sh from jars cached outside the repo.
 * Each `startKafka()` gets its own state dir (ports, log dirs); `restart()` reuses it, so data survives.
 */
export interface KafkaBroker {
  brokers: string[];
  /** SIGTERM and wait for a clean shutdown; deletes the state dir. */
  stop(): Promise<void>;
  /** SIGKILL: a crash. `restart()` brings it back on the same ports and log dirs. */
  kill(): Promise<void>;
  /** Stop (cleanly) if running, start again, wait until it serves requests. */
  restart(): Promise<void>;
}

const SCRIPT = join(__dirname, 'kafka.sh');

const onPath = (tool: string): boolean => spawnSync('bash', ['-c', `command -v ${tool}`]).status === 0;

/** Java runs the broker; Maven is needed only until the jars are cached. */
export const missingKafkaTools = (): string[] => {
  const missing = onPath('java') ? [] : ['java'];
  if (!onPath('mvn') && !jarsCached()) missing.push('mvn');
  return missing;
};

const jarsCached = (): boolean => {
  const out = spawnSync('bash', [SCRIPT, 'cache-dir'], { encoding: 'utf8' });
  return out.status === 0 && existsSync(join(out.stdout.trim(), 'lib', '.complete'));
};

export const kafkaRequired = (): boolean => process.env.CI === 'true' || process.env.REQUIRE_KAFKA === '1';

/**
 * `describe` for a suite that needs a real broker. Without java (or mvn, before the jars are cached)
 * the suite is skipped with a loud notice, unless CI=true or REQUIRE_KAFKA=1, where it fails.
 */
export const describeKafka = (name: string, body: () => void): void => {
  const missing = missingKafkaTools();
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  const why = `${missing.join(' and ')} not on PATH: the Kafka suite "${name}" cannot start a broker`;
  if (kafkaRequired()) {
    describe(name, () => {
      it('has a Kafka broker (required because CI=true or REQUIRE_KAFKA=1)', () => {
        throw new Error(why);
      });
    });
    return;
  }
  // Straight to stderr: Jest swallows console output of a file whose tests are all skipped.
  process.stderr.write(skipNotice(why));
  describe.skip(name, body);
};

export const skipNotice = (why: string): string => {
  const bar = '!'.repeat(100);
  return `\n${bar}\n!!! SKIPPED: ${why}.\n!!! Install a JDK 17 and Maven, or set REQUIRE_KAFKA=1 to make this a failure.\n${bar}\n`;
};

const run = (command: string, stateDir: string): Promise<string> =>
  new Promise((resolve, reject) => {
    execFile(
      'bash',
      [SCRIPT, command],
      { env: { ...process.env, KAFKA_STATE_DIR: stateDir }, maxBuffer: 10 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`kafka.sh ${command} failed: ${error.message}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });

/**
 * Ready for a test when a client can create a topic, get a producer id and join a consumer group (the
 * first join creates __consumer_offsets; until then clients log "group coordinator is not available").
 */
const waitUntilServing = async (brokers: string[]): Promise<void> => {
  const bus = new KafkaBus({
    brokers,
    clientId: 'readiness',
    topics: [{ topic: 'toc-hub.readiness', partitions: 1 }],
    logLevel: 'nothing',
  });
  try {
    await bus.start();
    const subscription = await bus.subscribe(
      { topics: ['toc-hub.readiness'], groupId: 'toc-hub.readiness', fromBeginning: false },
      async () => undefined,
    );
    await subscription.close();
  } finally {
    await bus.close();
  }
};

export const startKafka = async (): Promise<KafkaBroker> => {
  const stateDir = mkdtempSync(join(tmpdir(), 'toc-hub-kafka-'));
  const pidFile = join(stateDir, 'kafka.pid');
  // If the test process dies without stopping the broker, do not leave a JVM behind.
  const reap = (): void => {
    try {
      process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
    } catch {
      // not running
    }
  };
  process.on('exit', reap);

  const start = async (): Promise<string[]> => {
    const status = (await run('start', stateDir)).trim().split('\n').pop() ?? '';
    const match = /^running \d+ (\S+)$/.exec(status);
    if (!match) throw new Error(`kafka.sh start said: ${status}`);
    const brokers = [match[1]];
    await waitUntilServing(brokers);
    return brokers;
  };

  let brokers: string[];
  try {
    brokers = await start();
  } catch (error) {
    await run('stop', stateDir).catch(() => undefined);
    throw error;
  }
  return {
    brokers,
    stop: async () => {
      await run('stop', stateDir);
      process.off('exit', reap);
      if (process.env.KEEP_KAFKA_STATE !== '1') rmSync(stateDir, { recursive: true, force: true });
    },
    kill: async () => {
      await run('kill', stateDir);
    },
    restart: async () => {
      await run('stop', stateDir);
      const again = await start();
      if (again[0] !== brokers[0]) throw new Error(`broker came back on ${again[0]}, not ${brokers[0]}`);
    },
  };
};
