import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Jest globalSetup of the `kafka` project: resolve the broker's jars from Maven Central once (a few
 * minutes the first time, seconds after), before any test timeout runs. When java or mvn is missing it
 * does nothing: the suites themselves skip or fail (see describeKafka).
 */
export default function globalSetup(): void {
  const has = (tool: string): boolean => spawnSync('bash', ['-c', `command -v ${tool}`]).status === 0;
  if (!has('java')) return;
  const started = Date.now();
  const fetch = spawnSync('bash', [join(__dirname, 'kafka.sh'), 'fetch'], { stdio: ['ignore', 'pipe', 'inherit'] });
  if (fetch.status !== 0 && has('mvn')) throw new Error('kafka.sh fetch failed: cannot resolve the Kafka jars');
  if (Date.now() - started > 5_000) console.log(`\nKafka jars resolved in ${Math.round((Date.now() - started) / 1000)} s`);
}
