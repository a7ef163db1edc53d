import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const web = join(root, 'apps', 'web');
const built = join(root, 'dist', 'web', 'index.html');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** Builds the web UI (vite) when dist/web is missing or older than apps/web, so the suite tests what it serves. */
export default function globalSetup(): void {
  const stale = !existsSync(built) || statSync(built).mtimeMs < newestMtime(web);
  if (!stale) return;
  const started = Date.now();
  process.stdout.write('\n[browser] dist/web is missing or stale: building the web UI (vite)…\n');
  execFileSync(
    join(root, 'node_modules', '.bin', 'vite'),
    ['build', '--config', 'apps/web/vite.config.mts', '--logLevel', 'warn'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  process.stdout.write(`[browser] built in ${Date.now() - started} ms\n`);
}
