import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createApp, validateEnvironment } from '@app/platform';
import { StandaloneModule } from '../../../apps/standalone/src/standalone.module';

export const ROOT = join(__dirname, '..', '..', '..');
export const WEB_ROOT = join(ROOT, 'dist', 'web');
export const ARTIFACTS = join(ROOT, '.artifacts', 'screenshots');
export const DOC_SCREENSHOTS = join(ROOT, 'docs', 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Whether real Chromium is here. Without it the suite skips, loudly, on a developer's machine, and fails in
 * CI (CI=true), where `.ci/run` installs Debian's chromium.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  const message = `Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH.`;
  if (process.env.CI === 'true') throw new Error(`[browser] ${message} CI requires it.`);
  console.warn(`\n⚠️  [browser] SKIPPING the browser suite. ${message}\n`);
  return false;
}

export interface WebApp {
  app: NestFastifyApplication;
  baseUrl: string;
  close(): Promise<void>;
}

/** The standalone app as main.ts builds it (web UI included), on an ephemeral port and a fresh data dir. */
export async function startWebApp(): Promise<WebApp> {
  if (!existsSync(join(WEB_ROOT, 'index.html'))) throw new Error('dist/web is missing: run npm run build:web');
  const dataDir = mkdtempSync(join(tmpdir(), 'toc-browser-'));
  const env = validateEnvironment({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1' });
  const app = await createApp(StandaloneModule.forRoot({ env }), { env, logger: false, webRoot: WEB_ROOT });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
  // Playwright gives every launch a fresh temporary profile (--user-data-dir) and removes it on close.
  // The background-networking flags keep Chromium quiet on a closed network.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--lang=en-GB',
    ],
  });
  return { browser, close: () => browser.close() };
}

/** Every request URL and console line a page produces, to check that no personal data leaks into them. */
export interface Recorded {
  urls: string[];
  console: string[];
}

export async function newPage(browser: Browser, baseUrl: string, recorded: Recorded, viewport = { width: 1280, height: 900 }) {
  const context: BrowserContext = await browser.newContext({
    baseURL: baseUrl,
    viewport,
    locale: 'en-GB',
    timezoneId: 'Europe/London',
  });
  const page: Page = await context.newPage();
  page.on('request', (request) => recorded.urls.push(request.url()));
  page.on('console', (message) => recorded.console.push(message.text()));
  page.on('pageerror', (error) => recorded.console.push(`pageerror: ${error.message}`));
  return { context, page };
}

export async function signIn(page: Page, userId: string): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: `Sign in as ${userId}` }).click();
  await page.getByTestId('signed-in-as').waitFor();
}

export async function screenshot(page: Page, name: string, { doc = false } = {}): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.mouse.move(0, 0); // no hover tooltips left over from the last click
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  // docs/screenshots is committed: refresh it only on request (UPDATE_DOC_SCREENSHOTS=1).
  if (doc && process.env.UPDATE_DOC_SCREENSHOTS === '1') {
    mkdirSync(DOC_SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(DOC_SCREENSHOTS, `${name}.png`), fullPage: true });
  }
}
