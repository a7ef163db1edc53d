import type { Browser, Page } from 'playwright-core';
import {
  chromiumAvailable,
  launchChromium,
  newPage,
  screenshot,
  signIn,
  startWebApp,
  type Recorded,
  type WebApp,
} from './support/browser';

const describeWithChromium = chromiumAvailable() ? describe : describe.skip;

async function tokenFor(web: WebApp, userId: string): Promise<string> {
  const response = await fetch(`${web.baseUrl}/auth/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

/** A referral made through the API, so this suite starts at the case screen. */
async function refer(web: WebApp): Promise<string> {
  const response = await fetch(`${web.baseUrl}/api/discharge-cases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(web, 'ward.musgrove')}` },
    body: JSON.stringify({
      patient: {
        nhsNumber: '9000000009',
        givenName: 'Bea',
        familyName: 'Trelawney',
        dateOfBirth: '1938-07-14',
        postcode: 'TA1 5DA',
      },
      hospital: 'RH5',
      ward: 'RH5A8-AMU',
      admittedOn: '2020-01-01',
      area: 'SOMERSET_WEST_AND_TAUNTON',
      usualResidence: 'own-home',
      proposedPathway: 0,
      needs: {
        mobility: 'independent',
        cognition: 'no-concerns',
        careHoursPerWeek: 0,
        equipment: [],
        specialist: {
          bariatric: false,
          dementia: false,
          endOfLife: false,
          opmh: false,
          sideRoom: false,
          sexForBayAllocation: 'no-requirement',
        },
      },
    }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { caseId: string }).caseId;
}

const delay = (page: Page, text: RegExp) => page.getByTestId('delay-list').locator('li', { hasText: text });

describeWithChromium('web UI in headless Chromium: ward readiness, delays and P0 discharge; hub erasure', () => {
  jest.setTimeout(120_000);
  let web: WebApp;
  let chromium: { browser: Browser; close(): Promise<void> };
  const recorded: Recorded = { urls: [], console: [] };
  beforeAll(async () => {
    web = await startWebApp();
    chromium = await launchChromium();
  });
  afterAll(async () => {
    await chromium?.close();
    await web?.close();
  });

  it('records NCTR, two delays with the primary moved and closed, a P0 discharge, then the hub erases the identity', async () => {
    const caseId = await refer(web);
    const { page, context } = await newPage(chromium.browser, web.baseUrl, recorded, { width: 1024, height: 1366 });
    await signIn(page, 'ward.musgrove');
    await page.goto(`/cases/${caseId}`);
    await page.getByTestId('case-heading').filter({ hasText: 'Bea Trelawney' }).waitFor();

    await page.getByRole('button', { name: 'Record: no longer meets criteria' }).click();
    await page.getByTestId('ctr-state').filter({ hasText: 'No criteria to reside' }).waitFor();

    await page.getByLabel(/Open a delay/).selectOption('HOSP-TRANSPORT');
    await page.getByRole('button', { name: 'Open delay' }).click();
    await delay(page, /transport/i)
      .filter({ has: page.getByText('Primary', { exact: true }) })
      .waitFor();

    await page.getByLabel(/Open a delay/).selectOption('EQUIPMENT');
    await page.getByLabel('Make it the primary delay').check();
    await page.getByRole('button', { name: 'Open delay' }).click();
    await delay(page, /equipment/i)
      .filter({ has: page.getByText('Primary', { exact: true }) })
      .waitFor();
    expect(
      await delay(page, /transport/i)
        .filter({ has: page.getByText('Primary', { exact: true }) })
        .count(),
    ).toBe(0);

    await delay(page, /transport/i)
      .getByRole('button', { name: 'Make primary' })
      .click();
    await delay(page, /transport/i)
      .filter({ has: page.getByText('Primary', { exact: true }) })
      .waitFor();
    await screenshot(page, 'ward-case-delays');

    // Closing the primary names the other open delay as the next primary.
    await delay(page, /transport/i)
      .getByRole('button', { name: 'Close' })
      .click();
    await delay(page, /transport/i).waitFor({ state: 'detached' });
    await delay(page, /equipment/i)
      .filter({ has: page.getByText('Primary', { exact: true }) })
      .waitFor();

    await page.getByRole('button', { name: 'Record P0 discharge' }).click();
    await page.getByTestId('case-status').filter({ hasText: 'Discharged' }).waitFor();
    await page.getByTestId('case-pathway').filter({ hasText: 'P0' }).waitFor();
    await context.close();

    const hub = await newPage(chromium.browser, web.baseUrl, recorded);
    await signIn(hub.page, 'hub.coordinator');
    await hub.page.goto(`/cases/${caseId}`);
    await hub.page.getByRole('button', { name: 'Erase identity…' }).click();
    await hub.page.getByRole('alertdialog').getByRole('button', { name: 'Yes, erase identity' }).click();
    await hub.page.getByTestId('case-heading').filter({ hasText: 'Identity erased' }).waitFor();
    await hub.page.getByTestId('history').filter({ hasText: 'Identity erased' }).waitFor();
    await screenshot(hub.page, 'hub-case-erased');
    await hub.context.close();

    for (const text of ['9000000009', 'Trelawney', '1938-07-14']) {
      expect(recorded.urls.filter((url) => decodeURIComponent(url).includes(text))).toEqual([]);
      expect(recorded.console.filter((line) => line.includes(text))).toEqual([]);
    }
  });
});
