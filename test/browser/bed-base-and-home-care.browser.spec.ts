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

    // ── Earlier today: five P0 and five P1 discharges through the API, so the leader's shares are not
    // small counts (1–4 are suppressed for leaders, DESIGN §4) and a change shows as a share ─────────────
    await timed('seed ten discharges through the API', async () => {
      await seedDischarges(web.baseUrl, { p0: 5, p1: 5 });
    });

    const leader = await newPage(browser, web.baseUrl, recorded);
    await timed('leader opens dashboard', async () => {
      await signIn(leader.page, 'leader.ics');
      await leader.page.getByRole('heading', { name: 'Discharges by pathway' }).waitFor();
      await expectText(leader.page.getByTestId('share-today-p1'), /^50\.0% \(5\)/, 15_000);
    });
    let navigations = 0;
    leader.page.on('framenavigated', (frame) => {
      if (frame === leader.page.mainFrame()) navigations++;
    });

    // ── Ward refers someone for P1; the hub accepts and assigns P1 with home care ─────────────────────
    let p1Case = '';
    await timed('ward refers (P1), hub assigns P1 with home care', async () => {
      p1Case = await refer(ward.page, P1_PERSON, { area: 'SEDGEMOOR', pathway: '1' });
      const page = hub.page;
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Referral queue' }).click();
      await page.locator(`tr[data-case-id="${p1Case}"]`).getByRole('button', { name: 'Accept' }).click();
      await page.locator(`tr[data-case-id="${p1Case}"]`).waitFor({ state: 'detached' });
      await page.goto(`/cases/${p1Case}`);
      await expectText(page.getByTestId('case-status'), 'Accepted');
      await page.getByLabel(/^P1 · home with short-term support/).check();
      await page.getByRole('group', { name: 'Is a home-care package needed?' }).getByLabel('Yes').check();
      await page.getByRole('button', { name: 'Assign pathway' }).click();
      await expectText(page.getByTestId('case-pathway'), /P1 .*home care needed/);
    });

    // ── Provider posts today's capacity, after the form refuses a past date and one too far ahead ─────
    const provider = await newPage(browser, web.baseUrl, recorded);
    await timed('provider posts capacity (with inline validation)', async () => {
      const page = provider.page;
      await signIn(page, 'provider.taunton-homecare');
      await page.getByRole('heading', { name: 'Home-care capacity' }).waitFor();
      const form = page.getByTestId('capacity-return');
      const date = form.getByLabel('Date');
      await form.getByLabel('Locality').selectOption('SEDGEMOOR');
      await date.fill('2026-01-05');
      await form.getByLabel('New care hours a week you can start').fill('40');
      await form.getByLabel('New packages you can take').fill('3');
      await form.getByRole('button', { name: 'Send capacity return' }).click();
      await expectText(page.locator('#return-date-error'), /is in the past: capacity can be declared from today/);
      expect(await date.getAttribute('aria-invalid')).toBe('true');
      await date.fill(addDays(londonToday(), 20));
      await form.getByRole('button', { name: 'Send capacity return' }).click();
      await expectText(page.locator('#return-date-error'), /more than 14 days ahead: the last date you can declare is/);
      await form.getByLabel('Care workers rostered').fill('20');
      await form.getByLabel('Of those, absent').fill('30');
      await date.fill(londonToday());
      await form.getByRole('button', { name: 'Send capacity return' }).click();
      await expectText(page.locator('#return-careWorkersAbsent-error'), /More care workers absent than rostered/);
      await page.locator('#return-date-error').waitFor({ state: 'detached' });
      await screenshot(page, 'provider-capacity-validation');
      await form.getByLabel('Of those, absent').fill('3');
      await form.getByRole('button', { name: 'Send capacity return' }).click();
      await expectText(page.getByTestId('return-saved'), /Recorded: 40 hours a week and 3 new packages in Sedgemoor/);
      await expectText(page.getByText(/15\.0% absent \(over 10%\)/).first(), /15\.0% absent/);
    });

    // ── Hub offers the P1 package to that provider from the capacity screen ─────────────────────────
    await timed('hub offers the package', async () => {
      const page = hub.page;
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home-care capacity' }).click();
      await page.getByRole('heading', { name: 'Home-care capacity' }).waitFor();
      const row = page.getByTestId('waiting-list').locator('tr', { hasText: `${P1_PERSON.given} ${P1_PERSON.family}` });
      await row.waitFor({ timeout: 15_000 });
      await row.getByRole('button', { name: /^Offer a package/ }).click();
      const offer = page.getByRole('group', { name: /^Offer the package for/ });
      await offer.getByRole('button', { name: 'Send offer' }).click();
      await expectText(offer.locator('.error-message'), /Choose a provider/);
      await offer.getByLabel('Provider').selectOption('PRV-TAUNTON-HOMECARE');
      await expectText(offer.getByTestId('offer-free'), /40 hours a week and 3 new packages free/);
      await offer.getByRole('button', { name: 'Send offer' }).click();
      await offer.waitFor({ state: 'detached' });
      await expectText(row, /1 out/);
      const cell = page.locator('tr[data-provider-id="PRV-TAUNTON-HOMECARE"][data-locality="SEDGEMOOR"] td').first();
      await expectText(cell, /^30\s*of 40 · H 10 · C 0/);
      await screenshot(page, 'hub-capacity', { doc: true });
    });

    // ── Provider sees the offer arrive (no reload) and accepts it ────────────────────────────────────
    await timed('provider accepts the offer', async () => {
      const page = provider.page;
      const offers = page.getByTestId('offers');
      await offers.getByRole('button', { name: 'Accept' }).click({ timeout: 15_000 });
      await offers.waitFor({ state: 'detached' });
      await expectText(page.getByTestId('packages'), /Placed, not started[\s\S]*Sedgemoor[\s\S]*10/);
      await screenshot(page, 'provider-capacity', { doc: true });
    });

    // ── Hub discharges the P1 case; the leader's P1 share moves from 50.0% to 54.5% without a reload ──
    await timed('hub discharges on P1', async () => {
      const page = hub.page;
      await page.goto(`/cases/${p1Case}`);
      await page.getByLabel('Destination').selectOption('19');
      await page.getByRole('button', { name: 'Record discharge on P1' }).click();
      await expectText(page.getByTestId('case-status'), 'Discharged');
    });
    await timed('leader sees the shares change', async () => {
      await expectText(leader.page.getByTestId('share-today-p1'), /^54\.5% \(6\)/, 15_000);
      await expectText(leader.page.getByTestId('share-today-p0'), /^45\.5% \(5\)/);
      // The other measures come from /api/hub/kpis: the 28-day windows, D2A against demand, the bed base, ASCOF 2B(1).
      await expectText(leader.page.getByTestId('trend-today-p1'), /^54\.5% \(6\)/, 15_000);
      await expectText(leader.page.getByTestId('trend-rolling28Days-p0'), /^45\.5% \(5\)/);
      await expectText(leader.page.getByTestId('d2a-workforce'), '15.0% absent');
      await expectText(leader.page.getByTestId('d2a-capacity'), /Free\s*30/);
      await expectText(leader.page.getByTestId('bed-summary-tier'), /All beds/);
      await expectText(leader.page.getByTestId('ascof-rate'), /^(—|suppressed|\d)/);
      expect(navigations).toBe(0);
      await screenshot(leader.page, 'leader-dashboard', { doc: true });
      // Each figure links to its definition.
      await leader.page.getByTestId('nctr-total').click();
      await leader.page.waitForURL(/\/definitions#kpi-nctr-now$/);
      await leader.page.getByRole('heading', { name: /^NCTR now/ }).waitFor();
    });

    // ── No personal data in any URL the browsers requested, nor in the console ───────────────────
    for (const person of [P2_PERSON, P1_PERSON]) {
      for (const text of [person.nhs.replace(/ /g, ''), person.nhs, person.family, person.postcode, person.dob]) {
        expect(recorded.urls.filter((url) => decodeURIComponent(url).toLowerCase().includes(text.toLowerCase()))).toEqual([]);
        expect(recorded.console.filter((line) => line.toLowerCase().includes(text.toLowerCase()))).toEqual([]);
      }
    }
    feedState = (await hub.page.getByTestId('live-badge').getAttribute('data-state')) ?? '?';
    await Promise.all([ward.context.close(), hub.context.close(), leader.context.close(), provider.context.close()]);
  });

  it('the hub triages a community referral from its queue, with inline errors', async () => {
    const { browser } = chromium;
    await postAs(web.baseUrl, 'hub.coordinator', '/api/community-referrals', {
      patient: { givenName: 'Seed', familyName: 'Community', dateOfBirth: '1939-02-03', postcode: 'BA4 5AA' },
      kind: 'step-up',
      source: 'gp',
      referrerOrganisation: 'L85001',
      area: 'MENDIP',
      urgency: 'urgent',
      needs: {
        mobility: 'walking-aid',
        cognition: 'no-concerns',
        careHoursPerWeek: 7,
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
    });
    const { page, context } = await newPage(browser, web.baseUrl, recorded);
    await signIn(page, 'hub.coordinator');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Community referrals' }).click();
    const row = page.getByTestId('community-referrals').locator('tr', { hasText: 'Step-up' });
    await expectText(row, /Urgent[\s\S]*Awaiting response[\s\S]*Awaiting triage/);
    await row.getByRole('button', { name: 'Triage…' }).click();
    const triage = page.getByRole('group', { name: 'Triage this referral' });
    await triage.getByRole('button', { name: 'Record triage' }).click();
    await expectText(triage, /Choose the triage outcome[\s\S]*Choose the reason/);
    await triage.getByLabel('Outcome').selectOption('support-at-home');
    await triage.getByLabel('Reason').selectOption('reablement-at-home');
    await triage.getByRole('button', { name: 'Record triage' }).click();
    await expectText(row, /Triaged, awaiting care/);
    await screenshot(page, 'hub-community-referrals');
    await context.close();
  });

  it('keeps each new screen within a laptop and a tablet width (tables scroll inside themselves)', async () => {
    const { browser } = chromium;
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 820, height: 1180 },
    ]) {
      for (const [userId, path, heading] of [
        ['hub.coordinator', '/beds', 'Bed board'],
        ['hub.coordinator', '/capacity', 'Home-care capacity'],
        ['hub.coordinator', '/beds/long-stays', 'Long stays'],
        ['hub.coordinator', '/hub/parked-messages', 'Parked messages'],
        ['hub.coordinator', '/hub/community', 'Community referrals'],
        ['provider.taunton-homecare', '/capacity', 'Home-care capacity'],
        ['leader.ics', '/leader', 'Discharges by pathway'],
        ['leader.ics', '/beds', 'Bed base'],
      ] as const) {
        const { page, context } = await newPage(browser, web.baseUrl, recorded, viewport);
        await signIn(page, userId);
        await page.goto(path);
        await page.getByRole('heading', { name: heading, exact: true }).waitFor();
        await page.waitForLoadState('networkidle');
        const overflow = await page.evaluate<string>(
          `(() => { const d = document.documentElement; const w = d.clientWidth; if (d.scrollWidth <= w) return ''; return [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > w + 1).slice(0, 3).map((e) => e.tagName + '.' + e.className).join(', ') || 'body'; })()`,
        );
        expect({ path, userId, width: viewport.width, overflow }).toEqual({ path, userId, width: viewport.width, overflow: '' });
        if (viewport.width === 820 && path === '/capacity') await screenshot(page, `${userId.split('.')[0]}-capacity-tablet`);
        await context.close();
      }
    }
  });
});

const londonToday = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(),
  );
const addDays = (date: string, days: number) => {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
};

/** A POST through the API as a demo user (setting the scene, not the journey under test). */
async function postAs(baseUrl: string, userId: string, path: string, body: object): Promise<unknown> {
  const { access_token } = (await (
    await fetch(`${baseUrl}/auth/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId }),
    })
  ).json()) as { access_token: string };
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** Discharges through the API (no NHS number, made-up names): background for the leader's shares. */
async function seedDischarges(baseUrl: string, { p0, p1 }: { p0: number; p1: number }): Promise<void> {
  const tokens: Record<string, string> = {};
  const call = async (userId: string, path: string, body: object) => {
    tokens[userId] ??= (
      (await (
        await fetch(`${baseUrl}/auth/dev/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ userId }),
        })
      ).json()) as { access_token: string }
    ).access_token;
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens[userId]}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as { caseId: string };
  };
  const dischargedAt = new Date(Date.now() - 60_000).toISOString();
  for (let i = 0; i < p0 + p1; i++) {
    const pathway = i < p0 ? 0 : 1;
    const { caseId } = await call('ward.musgrove', '/api/discharge-cases', {
      patient: { givenName: 'Seed', familyName: `Person${i}`, dateOfBirth: '1940-01-01', postcode: 'BA1 1AA' },
      hospital: 'RH5',
      ward: 'RH5A8-ELIOT',
      admittedOn: addDays(londonToday(), -5),
      area: 'MENDIP',
      usualResidence: 'own-home',
      proposedPathway: pathway,
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
    });
    const base = `/api/discharge-cases/${caseId}`;
    if (pathway === 0) {
      await call('ward.musgrove', `${base}/pathway`, { pathway: 0, reason: 'simple-discharge' });
      await call('ward.musgrove', `${base}/discharge`, { dischargedAt, destination: '19' });
    } else {
      await call('hub.coordinator', `${base}/accept`, {});
      await call('hub.coordinator', `${base}/pathway`, { pathway: 1, reason: 'mdt-assessment', homeCareNeeded: false });
      await call('hub.coordinator', `${base}/discharge`, { dischargedAt, destination: '19' });
    }
  }
}

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
