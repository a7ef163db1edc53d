import { ControllableClock } from '@app/time';
import { AccessAuditStore } from '@app/platform';
import { StandaloneModule } from '../../apps/standalone/src/standalone.module';
import { startTestApp, type TestApp } from '../support/app';
import { aReferral, dischargeApi } from '../support/discharge';

const WARD = 'ward.musgrove';
const HUB = 'hub.coordinator';
const ADMIN = 'admin';

describe('hostile input: headers, CORS, body size, rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp((o) => StandaloneModule.forRoot(o), {
      env: {
        RATE_LIMIT_LOGIN: '3',
        RATE_LIMIT_WRITES: '4',
        RATE_LIMIT_WINDOW_SECONDS: '60',
        CORS_ORIGINS: 'https://ward.example.nhs.uk',
      },
    });
  });
  afterAll(() => t.destroy());

  it('given any response, then helmet’s headers and the one content security policy are on it', async () => {
    for (const url of ['/health/live', '/api/discharge-cases', '/api/docs']) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
      const csp = String(response.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(response.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('given the API docs page, then it loads no inline script the policy would block', async () => {
    const html = (await t.app.inject({ method: 'GET', url: '/api/docs' })).body;
    expect(html).toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>\s*\S/);
  });

  it('given CORS_ORIGINS, then a configured origin is allowed and any other is not', async () => {
    const preflight = (origin: string) =>
      t.app.inject({
        method: 'OPTIONS',
        url: '/api/discharge-cases',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
    const allowed = await preflight('https://ward.example.nhs.uk');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://ward.example.nhs.uk');
    const other = await preflight('https://evil.example.com');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('given a body over BODY_LIMIT_BYTES, then 413 in the common error shape and nothing is written', async () => {
    const huge = { ...aReferral(), note: 'x'.repeat(t.env.BODY_LIMIT_BYTES + 10) };
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/discharge-cases',
      payload: huge,
      headers: await t.as(HUB),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ statusCode: 413, code: expect.any(String), message: expect.any(String) });
  });

  it('given a route parameter over 200 characters, then the router refuses it (414 URI Too Long)', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/discharge-cases/${'a'.repeat(300)}`,
      headers: await t.as(HUB),
    });
    expect(response.statusCode).toBe(414);
  });

  it('given more sign-ins than RATE_LIMIT_LOGIN from one address, then 429 RATE_LIMITED with Retry-After; another address is not affected', async () => {
    const signIn = (ip: string) =>
      t.app.inject({
        method: 'POST',
        url: '/auth/dev/token',
        payload: { userId: 'leader.ics' },
        headers: { 'x-forwarded-for': ip },
      });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await signIn('203.0.113.7')).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const refused = await signIn('203.0.113.7');
    expect(refused.json()).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED', message: expect.stringMatching(/sign-in/) });
    expect(Number(refused.headers['retry-after-login'])).toBeGreaterThan(0);
    expect((await signIn('203.0.113.8')).statusCode).toBe(200);
  });

  it('given more writes than RATE_LIMIT_WRITES from one user, then 429 with nothing written; reads and other users go on', async () => {
    const api = dischargeApi(t);
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await api.refer(WARD, aReferral())).statusCode);
    expect(statuses).toEqual([201, 201, 201, 201, 429, 429]);
    const refused = await api.refer(WARD, aReferral());
    expect(refused.json()).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED', message: expect.stringMatching(/writes/) });
    expect((await api.list(WARD)).statusCode).toBe(200);
    expect((await api.list(WARD)).json()).toHaveLength(4);
    expect((await api.refer(HUB, aReferral())).statusCode).toBe(201);
  });
});

describe('access audit: every read of a person’s record, append-only, for the admin', () => {
  let t: TestApp;
  const clock = new ControllableClock('2026-11-25T10:00:00Z');
  beforeAll(async () => {
    t = await startTestApp((o) => StandaloneModule.forRoot(o), { clock });
  });
  afterAll(() => t.destroy());

  it('given reads of a case and of the case list, then the admin sees each by person and by user, as JSON and CSV', async () => {
    const api = dischargeApi(t);
    const caseId = await api.referred(WARD, aReferral());
    const read = await t.app.inject({
      method: 'GET',
      url: `/api/discharge-cases/${caseId}`,
      headers: { ...(await t.as(WARD)), 'x-request-id': 'req-ward-read-1' },
    });
    expect(read.statusCode).toBe(200);
    const patientId = read.json().patientId as string;
    await clock.advance({ minutes: 1 });
    expect((await api.list(HUB)).statusCode).toBe(200);

    const byPatient = await t.app.inject({
      method: 'GET',
      url: `/api/admin/access-audit?patientId=${patientId}`,
      headers: await t.as(ADMIN),
    });
    expect(byPatient.statusCode).toBe(200);
    expect(byPatient.json().entries).toEqual([
      expect.objectContaining({ userId: HUB, role: 'hub', patientId, resource: 'discharge-case-list', resourceId: caseId }),
      expect.objectContaining({
        userId: WARD,
        role: 'ward',
        organisation: 'RH5',
        patientId,
        resource: 'discharge-case',
        resourceId: caseId,
        what: 'identity+history',
        requestId: 'req-ward-read-1',
        at: '2026-11-25T10:00:00.000Z',
      }),
    ]);
    const byUser = await t.app.inject({
      method: 'GET',
      url: `/api/admin/access-audit?userId=${WARD}`,
      headers: await t.as(ADMIN),
    });
    expect(byUser.json().entries.every((e: { userId: string }) => e.userId === WARD)).toBe(true);
    const inRange = await t.app.inject({
      method: 'GET',
      url: `/api/admin/access-audit?patientId=${patientId}&from=2026-11-25T09:00:00Z&to=2026-11-25T10:00:30Z`,
      headers: await t.as(ADMIN),
    });
    expect(inRange.json().entries).toHaveLength(1);

    const csv = await t.app.inject({
      method: 'GET',
      url: `/api/admin/access-audit/export.csv?patientId=${patientId}`,
      headers: await t.as(ADMIN),
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('seq,at,userId,role,organisation,patientId,resource,resourceId,what,requestId');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain('req-ward-read-1');
  });

  it('given the audit routes, then only the admin may read them, and a bad filter is a 400 naming it', async () => {
    for (const user of [WARD, HUB, 'provider.mendip-care', 'leader.ics']) {
      const response = await t.app.inject({ method: 'GET', url: '/api/admin/access-audit', headers: await t.as(user) });
      expect(response.statusCode).toBe(403);
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/access-audit' })).statusCode).toBe(401);
    const bad = await t.app.inject({ method: 'GET', url: '/api/admin/access-audit?from=yesterday', headers: await t.as(ADMIN) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([expect.objectContaining({ field: 'from' })]);
  });

  it('given a refused read (another trust’s case), then nothing is audited as read', async () => {
    const api = dischargeApi(t);
    const caseId = await api.referred(WARD, aReferral());
    expect((await api.read('ward.yeovil', caseId)).statusCode).toBe(403);
    const byUser = await t.app.inject({
      method: 'GET',
      url: '/api/admin/access-audit?userId=ward.yeovil',
      headers: await t.as(ADMIN),
    });
    expect(byUser.json().entries).toEqual([]);
  });

  it('given the store, then UPDATE and DELETE are refused by its triggers, in its own file', async () => {
    const store = AccessAuditStore.open(`${t.dataDir}/audit.sqlite`);
    try {
      expect(store.query().length).toBeGreaterThan(0);
      expect(() => store.database.prepare("UPDATE access_audit SET user_id = 'someone-else'").run()).toThrow(/append-only/);
      expect(() => store.database.prepare('DELETE FROM access_audit').run()).toThrow(/append-only/);
    } finally {
      store.close();
    }
  });
});
