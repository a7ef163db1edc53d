import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { ControllableClock } from '@app/time';
import { StandaloneModule } from '../../apps/standalone/src/standalone.module';
import { startTestApp, type TestApp } from '../support/app';
import { aReferral, dischargeApi } from '../support/discharge';
import { BODIES, patient } from './bodies';
import { COLUMNS, ROOMS, ROUTES, type Cell, type Column } from './role-matrix';

const USER: Record<Column, string | undefined> = {
  wardOwn: 'ward.musgrove',
  wardOther: 'ward.yeovil',
  hub: 'hub.coordinator',
  providerOwn: 'provider.mendip-care',
  providerOther: 'provider.taunton-homecare',
  leader: 'leader.ics',
  admin: 'admin',
  anonymous: undefined,
};

/** The body each route is walked with: valid, so that scope (decided after validation) is what answers. */
const BODY_OF: Record<string, () => unknown> = {
  'POST /api/discharge-cases': BODIES.SubmitReferralDto,
  'POST /api/discharge-cases/{caseId}/return': BODIES.ReturnReferralDto,
  'POST /api/discharge-cases/{caseId}/criteria-to-reside/not-met': BODIES.CriteriaToResideNotMetDto,
  'POST /api/discharge-cases/{caseId}/criteria-to-reside/met-again': BODIES.CriteriaToResideMetAgainDto,
  'POST /api/discharge-cases/{caseId}/pathway': () => ({ pathway: 0, reason: 'simple-discharge' }),
  'POST /api/discharge-cases/{caseId}/delays': BODIES.OpenDelayDto,
  'POST /api/discharge-cases/{caseId}/discharge': BODIES.RecordDischargeDto,
  'POST /api/discharge-cases/{caseId}/withdraw': BODIES.WithdrawCaseDto,
  'POST /api/discharge-cases/{caseId}/follow-up': BODIES.RecordFollowUpDto,
  'POST /api/home-care/providers': BODIES.RegisterProviderDto,
  'POST /api/home-care/providers/{providerId}/suspend': BODIES.SuspendProviderDto,
  'POST /api/home-care/providers/{providerId}/capacity': BODIES.DeclareCapacityDto,
  'POST /api/home-care/packages/{packageId}/offers': () => ({
    ...(BODIES.OfferPackageDto() as object),
    overrideReason: 'urgent-discharge',
  }),
  'POST /api/home-care/packages/{packageId}/offers/{offerId}/decline': BODIES.DeclineOfferDto,
  'POST /api/home-care/packages/{packageId}/start': BODIES.StartPackageDto,
  'POST /api/home-care/packages/{packageId}/reviews': BODIES.RecordReviewDto,
  'POST /api/home-care/packages/{packageId}/end': BODIES.EndPackageDto,
  'POST /api/home-care/packages/{packageId}/cancel': BODIES.CancelPackageDto,
  'POST /api/bed-base/sites': BODIES.RegisterSiteDto,
  'POST /api/bed-base/sites/{siteId}/close': BODIES.CloseSiteDto,
  'POST /api/bed-base/beds': BODIES.CommissionBedDto,
  'POST /api/bed-base/beds/{bedId}/close': BODIES.CloseBedDto,
  'POST /api/bed-base/beds/{bedId}/leave': BODIES.LeaveBedDto,
  'POST /api/bed-base/requests/{requestId}/reservations': BODIES.ReserveBedDto,
  'POST /api/community-referrals': BODIES.SubmitCommunityReferralDto,
  'POST /api/community-referrals/{referralId}/triage': BODIES.TriageDto,
  'POST /api/community-referrals/{referralId}/first-response': BODIES.FirstResponseDto,
  'POST /api/community-referrals/{referralId}/start': BODIES.StartCareDto,
  'POST /api/community-referrals/{referralId}/end': BODIES.EndCareDto,
  'POST /api/community-referrals/{referralId}/withdraw': BODIES.WithdrawReferralDto,
  'POST /api/hub/parked-messages/{parkedId}/dismiss': () => ({ note: 'Checked by the role matrix' }),
  'POST /auth/dev/token': BODIES.DevTokenRequest,
};

describe('role matrix: every role × every route and live room, as written by hand', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const clock = new ControllableClock('2026-11-25T10:00:00Z');

  beforeAll(async () => {
    t = await startTestApp((o) => StandaloneModule.forRoot(o), { clock });
    const discharge = dischargeApi(t);
    const hub = await t.as('hub.coordinator');
    // A case of RH5 (ward.musgrove's trust) with an open delay.
    ids.caseId = await discharge.referred('ward.musgrove', {
      ...aReferral(),
      patient: { ...patient(), nhsNumber: '9990000050' },
    });
    await discharge.done('hub.coordinator', ids.caseId, 'criteria-to-reside/not-met', { from: '2026-11-20' });
    ids.delayId = randomUUID();
    await discharge.done('hub.coordinator', ids.caseId, 'delays', { reasonCode: 'CAP-P1', delayId: ids.delayId });
    // A home-care package offered to PRV-MENDIP-CARE (not to Taunton).
    const p1 = await discharge.referred('hub.coordinator', {
      ...aReferral(),
      patient: { ...patient(), nhsNumber: '9990000069' },
    });
    await discharge.done('hub.coordinator', p1, 'pathway', { pathway: 1, reason: 'mdt-assessment', homeCareNeeded: true });
    for (let i = 0; i < 100 && !ids.packageId; i++) {
      const packages = (await t.app.inject({ method: 'GET', url: '/api/home-care/packages', headers: hub })).json();
      ids.packageId = (Array.isArray(packages) ? packages : (packages.packages ?? []))[0]?.packageId;
      if (!ids.packageId) await new Promise((r) => setTimeout(r, 50));
    }
    const offer = await t.app.inject({
      method: 'POST',
      url: `/api/home-care/packages/${ids.packageId}/offers`,
      payload: { providerId: 'PRV-MENDIP-CARE', startOn: '2026-11-26', overrideReason: 'urgent-discharge' },
      headers: hub,
    });
    if (offer.statusCode !== 201) throw new Error(`fixture offer refused: ${offer.body}`);
    ids.offerId = offer.json().offerId;
    const referral = await t.app.inject({
      method: 'POST',
      url: '/api/community-referrals',
      payload: BODIES.SubmitCommunityReferralDto() as object,
      headers: hub,
    });
    ids.referralId = referral.json().referralId;
    ids.providerId = 'PRV-MENDIP-CARE';
    ids.siteId = 'FROME-CH';
    ids.bedId = 'FROME-CH-02';
  }, 60_000);
  afterAll(() => t.destroy());

  it('lists every route of the OpenAPI document, and nothing the document lacks', async () => {
    const api = (await t.app.inject({ method: 'GET', url: '/api/docs-json' })).json() as { paths: Record<string, object> };
    const documented = Object.entries(api.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(documented.filter((route) => !(route in ROUTES))).toEqual([]);
    expect(Object.keys(ROUTES).filter((route) => !documented.includes(route))).toEqual([]);
  });

  const call = async (route: string, column: Column) => {
    const [method, template] = route.split(' ');
    const url = template.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? randomUUID());
    const user = USER[column];
    const body = BODY_OF[route]?.();
    return t.app.inject({
      method: method as 'GET' | 'POST',
      url,
      headers: user ? await t.as(user) : {},
      ...(method === 'POST' && { payload: (body ?? {}) as object }),
    });
  };

  it('walks every cell: deny is 401 (no token) or 403; allow and scope are neither, and never a 5xx', async () => {
    const cells = Object.entries(ROUTES).flatMap(([route, row]) =>
      COLUMNS.map((column) => ({ route, column, cell: row[column] })),
    );
    const mismatches: string[] = [];
    // Refusals first, so that a permitted write (an erasure, a withdrawal) cannot change what a refusal meets.
    const ordered = [...cells.filter((c) => c.cell === 'deny'), ...cells.filter((c) => c.cell !== 'deny')];
    for (const { route, column, cell } of ordered) {
      const response = await call(route, column);
      const status = response.statusCode;
      const expected = cell === 'deny' ? (column === 'anonymous' ? [401] : [403]) : undefined;
      const ok = expected ? expected.includes(status) : status !== 401 && status !== 403 && status < 500;
      if (!ok) mismatches.push(`${route} as ${column} (${cell}) → ${status} ${response.body.slice(0, 160)}`);
    }
    console.log(`role matrix: ${Object.keys(ROUTES).length} routes × ${COLUMNS.length} roles = ${cells.length} HTTP cells`);
    expect(mismatches).toEqual([]);
  });

  it('scope means scope: another trust’s ward and another provider see none of the own party’s records in their lists', async () => {
    const yeovilList = (await call('GET /api/discharge-cases', 'wardOther')).json() as Array<{ caseId: string }>;
    expect(yeovilList.map((c) => c.caseId)).not.toContain(ids.caseId);
    const musgroveList = (await call('GET /api/discharge-cases', 'wardOwn')).json() as Array<{ caseId: string }>;
    expect(musgroveList.map((c) => c.caseId)).toContain(ids.caseId);
    const taunton = JSON.stringify((await call('GET /api/home-care/packages', 'providerOther')).json());
    expect(taunton).not.toContain(ids.packageId);
    const tauntonProviders = JSON.stringify((await call('GET /api/home-care/providers', 'providerOther')).json());
    expect(tauntonProviders).not.toContain('PRV-MENDIP-CARE');
  });

  it('walks every live room: permitted subscriptions are acked, others refused; anonymous is refused at the handshake', async () => {
    const url = await t.listen();
    const mismatches: string[] = [];
    const sockets: Socket[] = [];
    try {
      for (const column of COLUMNS) {
        const user = USER[column];
        const token = user ? (await t.as(user)).authorization.slice('Bearer '.length) : undefined;
        const socket = io(`${url}/live`, {
          auth: token ? { token } : {},
          transports: ['websocket'],
          reconnection: false,
          forceNew: true,
        });
        sockets.push(socket);
        const connected = await new Promise<boolean>((resolve) => {
          socket.once('connect', () => resolve(true));
          socket.once('connect_error', () => resolve(false));
        });
        for (const [room, { request, cells }] of Object.entries(ROOMS)) {
          const cell: Cell = cells[column];
          if (!connected) {
            if (cell !== 'deny' || column !== 'anonymous') mismatches.push(`${room} as ${column}: no connection`);
            continue;
          }
          const ack = (await socket.timeout(5_000).emitWithAck('subscribe', request)) as {
            ok?: boolean;
            error?: { code: string };
          };
          const permitted = ack.ok === true;
          if (permitted !== (cell !== 'deny')) mismatches.push(`${room} as ${column} (${cell}) → ${JSON.stringify(ack)}`);
          if (!permitted && ack.error?.code !== 'VIEW_NOT_PERMITTED' && cell === 'deny')
            mismatches.push(`${room} as ${column}: refused with ${ack.error?.code}, not VIEW_NOT_PERMITTED`);
        }
      }
    } finally {
      for (const socket of sockets) socket.disconnect();
    }
    console.log(
      `role matrix: ${Object.keys(ROOMS).length} live rooms × ${COLUMNS.length} roles = ${Object.keys(ROOMS).length * COLUMNS.length} socket cells`,
    );
    expect(mismatches).toEqual([]);
  });
});
