import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fetchKafkaJars from '../../support/kafka/global-setup';

/**
 * Jest globalSetup of the `reliability` project: one build of the standalone app for every suite.
 *
 * When dist/ is as new as every source file (CI runs `npm run build` first) it is used as is. Otherwise the app is
 * compiled once into a private temporary folder, so a stale dist/ is never measured and a build someone else starts
 * in dist/ meanwhile cannot change the code under test. Set RELIABILITY_DIST to a built dist/ to skip both. It also
 * resolves the Kafka broker's jars once, as the kafka project does.
 */
export default function globalSetup(): void {
  // The broker-restart suite runs a real Kafka broker: resolve its jars before any test timeout runs.
  fetchKafkaJars();
  ensureStandaloneBuild();
}

/** Sets RELIABILITY_DIST to a build of the current sources (see above); the HTTP bench uses it too. */
export function ensureStandaloneBuild(): void {
  const root = join(__dirname, '..', '..', '..');
  if (process.env.RELIABILITY_DIST) return;
  const main = join(root, 'dist', 'apps', 'standalone', 'src', 'main.js');
  const newest = newestSource([join(root, 'apps'), join(root, 'libs')]);
  if (existsSync(main) && statSync(main).mtimeMs >= newest) {
    process.env.RELIABILITY_DIST = join(root, 'dist');
    return;
  }
  if (process.env.CI === 'true') throw new Error('dist/ is missing or stale: run `npm run build` before the reliability suite');
  const started = Date.now();
  const out = join(mkdtempSync(join(tmpdir(), 'toc-reliability-build-')), 'dist');
  const bin = (tool: string) => join(root, 'node_modules', '.bin', tool);
  const tsc = spawnSync(bin('tsc'), ['-p', 'tsconfig.build.json', '--outDir', out], { cwd: root, encoding: 'utf8' });
  // tsc emits despite type errors; report them (they are someone's work in progress) but run what was emitted.
  if (!existsSync(join(out, 'apps', 'standalone', 'src', 'main.js'))) {
    throw new Error(`tsc emitted no standalone app:\n${tsc.stdout}${tsc.stderr}`);
  }
  if (tsc.status !== 0) {
    const errors = (tsc.stdout.match(/error TS/g) ?? []).length;
    process.stderr.write(`\n[reliability] tsc reported ${errors} type error(s); running the JavaScript it emitted.\n`);
  }
  const alias = spawnSync(bin('tsc-alias'), ['-p', 'tsconfig.build.json', '--outDir', out], { cwd: root, encoding: 'utf8' });
  if (alias.status !== 0) throw new Error(`tsc-alias failed:\n${alias.stdout}${alias.stderr}`);
  process.env.RELIABILITY_DIST = out;
  process.stderr.write(`[reliability] built the standalone app into ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

function newestSource(dirs: string[]): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && path !== join(dirs[0], 'web')) walk(path);
      } else if (entry.name.endsWith('.ts') && !/\.(spec|e2e-spec)\.ts$/.test(entry.name)) {
        newest = Math.max(newest, statSync(path).mtimeMs);
      }
    }
  };
  dirs.forEach(walk);
  return newest;
}
