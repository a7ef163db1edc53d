import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { io } from 'socket.io-client';
import { topicFor, type MessageBus } from '@app/messaging';
import { createApp, MESSAGE_BUS, validateEnvironment } from '@app/platform';
import { ProjectionRegistry } from '@app/projections/projections.module';
import { ControllableClock } from '@app/time';
import { StandaloneModule } from '../../apps/standalone/src/standalone.module';
import { aReferral } from '../support/discharge';
import { BODIES } from './bodies';
import { fictionalNhsNumber, NEEDLES, PEOPLE, scan } from './support/personal-data';

describe('personal data: erasure end to end, and a scanner over everything the product writes or sends', () => {
  let app: NestFastifyApplication;
  let dir: string;
  let url: string;
  const clock = new ControllableClock('2026-11-25T10:00:00Z');
  const tokens = new Map<string, string>();
  const busMessages: string[] = [];
  const apiPayloads: Record<string, string> = {};
  const socketPayloads: string[] = [];
  const caseIds: string[] = [];
  const as = async (userId: string) => {
    if (!tokens.has(userId)) {
      const response = await app.inject({ method: 'POST', url: '/auth/dev/token', payload: { userId } });
      tokens.set(userId, response.json().access_token);
    }
    return { authorization: `Bearer ${tokens.get(userId)}` };
  };
  const post = async (user: string, path: string, payload: object = {}) => {
    const response = await app.inject({ method: 'POST', url: path, payload, headers: await as(user) });
    if (response.statusCode >= 300) throw new Error(`${path}: ${response.statusCode} ${response.body}`);
    return response.json();
  };
  const get = async (user: string, path: string) => app.inject({ method: 'GET', url: path, headers: await as(user) });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'toc-pii-'));
    const env = validateEnvironment({
      NODE_ENV: 'test',
      DATA_DIR: dir,
      LOG_LEVEL: 'debug',
      LOG_FILE: join(dir, 'logs', 'app.log'),
    });
    // Logs on, as in production, into a file this test reads.
    app = await createApp(StandaloneModule.forRoot({ env, clock }), { env, logger: true });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    // Every bus message, key and value, as an external consumer would see it.
    const bus = app.get<MessageBus>(MESSAGE_BUS);
    await bus.subscribe(
      {
        topics: ['discharge', 'home-care', 'bed-base', 'community-referrals'].map(topicFor),
        groupId: 'pii-scanner',
        fromBeginning: true,
      },
      async (delivery) => void busMessages.push(JSON.stringify(delivery)),
    );
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('given a demo with known people, when two are erased, then they are unreadable, the KPIs still count them, and no identifier of anyone is found anywhere', async () => {
    // A leader's live rooms, open throughout.
    const leaderToken = (await as('leader.ics')).authorization.slice(7);
    const leader = io(`${url}/live`, {
      auth: { token: leaderToken },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    const hubSocket = io(`${url}/live`, {
      auth: { token: (await as('hub.coordinator')).authorization.slice(7) },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    leader.on('update', (u: unknown) => void socketPayloads.push(`leader ${JSON.stringify(u)}`));
    hubSocket.on('update', (u: unknown) => void socketPayloads.push(`hub ${JSON.stringify(u)}`));
    await Promise.all([leader, hubSocket].map((s) => new Promise<void>((r) => s.once('connect', () => r()))));
    for (const view of ['pathway-shares', 'kpis', 'bed-board']) await leader.timeout(5_000).emitWithAck('subscribe', { view });
    await hubSocket.timeout(5_000).emitWithAck('subscribe', { view: 'case-list' });

    // The demo: four referrals with notes naming the person, P1 and P0 discharges, a community referral.
    for (const [i, person] of PEOPLE.entries()) {
      const referral = {
        ...aReferral(),
        patient: person,
        note: `${person.givenName} ${person.familyName} lives alone at ${person.postcode}`,
      };
      const { caseId } = await post(i % 2 ? 'ward.yeovil' : 'ward.musgrove', '/api/discharge-cases', {
        ...referral,
        ...(i % 2 ? { hospital: 'RA4', ward: 'RA4-W1' } : {}),
      }).catch(async () => post('hub.coordinator', '/api/discharge-cases', referral));
      caseIds.push(caseId);
      await post('hub.coordinator', `/api/discharge-cases/${caseId}/criteria-to-reside/not-met`, { from: '2026-11-22' });
      await post('hub.coordinator', `/api/discharge-cases/${caseId}/pathway`, {
        pathway: i % 2,
        reason: 'mdt-assessment',
        ...(i % 2 ? { homeCareNeeded: false } : {}),
      });
      await post('hub.coordinator', `/api/discharge-cases/${caseId}/delays`, {
        reasonCode: 'CAP-P1',
        note: `Waiting for ${person.familyName}'s daughter (NHS ${person.nhsNumber})`,
      });
      await post('hub.coordinator', `/api/discharge-cases/${caseId}/discharge`, {
        dischargedAt: '2026-11-25T09:00:00Z',
        destination: '19',
      });
      expect((await get('hub.coordinator', `/api/discharge-cases/${caseId}`)).json().identity.familyName).toBe(person.familyName);
    }
    await post('hub.coordinator', '/api/community-referrals', {
      ...(BODIES.SubmitCommunityReferralDto() as object),
      patient: { ...PEOPLE[3], nhsNumber: fictionalNhsNumber(202_000) },
      note: `${PEOPLE[3].givenName} prefers mornings`,
    });
    const sharesBefore = (await get('hub.coordinator', '/api/hub/pathway-shares?date=2026-11-25')).json();

    // Erase two people.
    for (const caseId of caseIds.slice(0, 2)) await post('hub.coordinator', `/api/discharge-cases/${caseId}/erase-identity`);

    // Unreadable in the API (what the UI shows), in the case list, and gone from what sockets carry.
    for (const caseId of caseIds.slice(0, 2)) {
      const read = (await get('hub.coordinator', `/api/discharge-cases/${caseId}`)).json();
      expect(read).toMatchObject({ identity: null, identityErased: true });
      expect(JSON.stringify(read)).not.toMatch(/Winifred|Quarrington|Bartholomew|Fenwick/);
    }
    const list = (await get('hub.coordinator', '/api/discharge-cases')).body;
    expect(scan({ list }, NEEDLES.slice(0, 12))).toEqual([]);
    // The KPIs still count the erased cases.
    const sharesAfter = (await get('hub.coordinator', '/api/hub/pathway-shares?date=2026-11-25')).json();
    expect(sharesAfter.today).toEqual(sharesBefore.today);

    // Leader API payloads.
    for (const path of ['/api/hub/pathway-shares', '/api/hub/kpis', '/api/hub/kpis/definitions', '/api/bed-base/summary']) {
      const response = await get('leader.ics', path);
      expect(response.statusCode).toBe(200);
      apiPayloads[`leader ${path}`] = response.body;
    }
    // Snapshots of every projection, written now so the scan covers them.
    for (const live of app.get(ProjectionRegistry).all()) await live.snapshot();
    await new Promise((r) => setTimeout(r, 300));
    leader.disconnect();
    hubSocket.disconnect();
    expect(busMessages.length).toBeGreaterThan(10);
    expect(socketPayloads.some((p) => p.startsWith('leader'))).toBe(true);

    await app.close();
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .map((f) => join(dir, f))
      .filter((f) => existsSync(f) && /\.(sqlite|sqlite-wal|sqlite-shm|log|json)$/.test(f));
    expect(files.some((f) => f.endsWith('hub.sqlite'))).toBe(true);
    expect(files.some((f) => f.endsWith('app.log'))).toBe(true);
    const haystacks: Record<string, Buffer | string> = {
      ...Object.fromEntries(files.map((f) => [f.slice(dir.length + 1), readFileSync(f)])),
      'bus messages (keys and values)': busMessages.join('\n'),
      ...apiPayloads,
      'socket payloads': socketPayloads.join('\n'),
    };
    expect(readFileSync(join(dir, 'logs', 'app.log'), 'utf8')).toMatch(/"req":\{"id"/);

    expect(scan(haystacks)).toEqual([]);
  }, 120_000);

  it('control: the scanner finds a planted identifier, in UTF-8 and UTF-16, spaced NHS numbers included', () => {
    const person = PEOPLE[0];
    expect(scan({ log: `{"msg":"hello ${person.familyName}"}` })).toEqual([`${person.familyName} in log`]);
    expect(scan({ db: Buffer.from(`x${person.givenName}x`, 'utf16le') })).toEqual([`${person.givenName} in db`]);
    const spaced = `${person.nhsNumber.slice(0, 3)} ${person.nhsNumber.slice(3, 6)} ${person.nhsNumber.slice(6)}`;
    expect(scan({ bus: `key=${spaced}` })).toEqual([`${spaced} in bus`]);
  });
});
