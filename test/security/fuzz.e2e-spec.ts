import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { EventStore } from '@app/event-sourcing';
import { EVENT_STORE } from '@app/platform';
import { ControllableClock } from '@app/time';
import { StandaloneModule } from '../../apps/standalone/src/standalone.module';
import { startTestApp, type TestApp } from '../support/app';
import { aReferral, dischargeApi } from '../support/discharge';
import { BODIES, patient } from './bodies';

/**
 * Hostile input, property-based (DESIGN §3 HTTP conventions, §4): every write route in the OpenAPI document
 * (so a new route is fuzzed without editing this file) gets a valid base body, then fast-check mutations of it:
 * wrong types, huge strings, unicode, missing and extra fields, impossible and far-off dates, invalid NHS
 * numbers, prototype-pollution keys, and bodies that are not objects at all. For every request:
 *   - never a 5xx;
 *   - a refusal is in the common error shape: a 400 names the field (`errors[].field`), any other 4xx has a `code`;
 *   - a refused request writes nothing: no event in the store carries its request id (correlation id), checked
 *     per request by reading whatever appended while it ran;
 *   - Object.prototype is never polluted.
 */

const TOTAL = 10_500;
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const HUB = 'hub.coordinator';
const PROVIDER = 'provider.mendip-care';

interface OpenApi {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Schema }> } }>>;
  components: { schemas: Record<string, Schema> };
}
interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  example?: unknown;
  enum?: unknown[];
  items?: Schema;
  allOf?: Schema[];
}

/** From a schema's examples and enums: for a DTO added after this file was written. */
function fromSchema(schema: Schema, api: OpenApi, depth = 0): unknown {
  const resolved = schema.$ref ? api.components.schemas[schema.$ref.split('/').pop()!] : schema;
  if (!resolved || depth > 5) return {};
  if (resolved.allOf?.length) return fromSchema(resolved.allOf[0], api, depth + 1);
  if (resolved.example !== undefined) return resolved.example;
  if (resolved.enum?.length) return resolved.enum[0];
  if (resolved.properties) {
    return Object.fromEntries(
      (resolved.required ?? []).map((name) => [name, fromSchema(resolved.properties![name] ?? {}, api, depth + 1)]),
    );
  }
  return resolved.type === 'number' || resolved.type === 'integer' ? 1 : resolved.type === 'boolean' ? true : 'x';
}

// ---- mutations ---------------------------------------------------------------------------------------------

type Path = Array<string | number>;
type Mutation =
  | { kind: 'set'; at: number; value: unknown; label: string }
  | { kind: 'delete'; at: number }
  | { kind: 'extra'; at: number; key: string; value: unknown }
  | { kind: 'pollute'; at: number; key: '__proto__' | 'constructor' | 'prototype' }
  | { kind: 'raw'; body: string; contentType?: string };

/** Every place in a body: objects (for extra keys) and leaves (to replace or remove). */
function pathsOf(value: unknown, path: Path = []): Path[] {
  const own: Path[] = [path];
  if (Array.isArray(value)) return [...own, ...value.flatMap((v, i) => pathsOf(v, [...path, i]))];
  if (value && typeof value === 'object') {
    return [...own, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...path, k]))];
  }
  return own;
}

const huge = fc.integer({ min: 1_000, max: 200_000 }).map((n) => 'A'.repeat(n));
const unicode = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '\u0000',
    '\u202eevil',
    'Zoë\u0301 Ó Súilleabháin',
    '𝔉𝔲𝔷𝔷',
    '\ud800',
    '\ufeff',
    '\u200b\u200b',
    '👩‍👩‍👧‍👦',
    'ＲＨ５',
    'rh5',
    ' RH5 ',
    '<script>alert(1)</script>',
    "'; DROP TABLE events; --",
    '../../etc/passwd',
    '%00',
    '${jndi:ldap://x}',
  ),
);
const dates = fc.oneof(
  fc.constantFrom(
    '2026-02-30',
    '2026-02-29',
    '2026-13-01',
    '2026-00-10',
    '0000-01-01',
    '1899-12-31',
    '9999-12-31',
    '2026-11-25T25:00:00Z',
    '2026-11-25T10:00:00+99:00',
    '+275760-09-13T00:00:00.000Z',
    '-000001-01-01T00:00:00Z',
    '2026-1-1',
    '2026-11-25 10:00',
    '25/11/2026',
    '',
    '1e10',
    'today',
    '2026-11-25T10:00:00',
  ),
  fc
    .date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true })
    .map((d) => (d.getUTCFullYear() % 2 ? d.toISOString() : d.toISOString().slice(0, 10))),
);
const nhsNumbers = fc.oneof(
  fc.stringMatching(/^\d{10}$/),
  fc.constantFrom('9990000019', '999000001', '99900000180', '999-000-0018', '999 000 0018 ', 'ABCDEFGHIJ', '0000000000', ''),
);
const numbers = fc.oneof(
  fc.constantFrom(-1, 0, -0, 0.5, 1e308, -1e308, 2 ** 53 + 1, 1e-300, 99999999),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);
const wrongTypes = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  numbers,
  fc.string({ maxLength: 20 }),
  fc.array(fc.anything({ maxDepth: 1 }), { maxLength: 3 }),
  fc.object({ maxDepth: 1 }),
);
const values = fc.oneof(
  { weight: 4, arbitrary: wrongTypes.map((value) => ({ value, label: 'wrong type' })) },
  { weight: 1, arbitrary: huge.map((value) => ({ value, label: 'huge string' })) },
  { weight: 3, arbitrary: unicode.map((value) => ({ value, label: 'unicode' })) },
  { weight: 3, arbitrary: dates.map((value) => ({ value, label: 'date' })) },
  { weight: 2, arbitrary: nhsNumbers.map((value) => ({ value, label: 'nhs number' })) },
  { weight: 2, arbitrary: numbers.map((value) => ({ value, label: 'number' })) },
);
const extraKeys = fc.oneof(
  fc.constantFrom('isAdmin', 'role', 'actor', 'organisation', 'patientId', '$where', 'toString', 'hasOwnProperty', 'valueOf'),
  fc.string({ minLength: 1, maxLength: 12 }),
);
const rawBodies = fc.oneof(
  fc.constantFrom('null', '[]', '[{}]', '"string"', '42', 'true', '{', '{"a":', '{"a":1,}', "{'a':1}", '', '\u0000', '{}{}'),
  fc.json({ maxDepth: 2 }),
  fc
    .tuple(
      fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded'),
    )
    .map(([contentType]) => ({ body: 'a=1&b=2', contentType })),
);

const mutations = (paths: number): fc.Arbitrary<Mutation> => {
  const at = fc.nat({ max: paths - 1 });
  return fc.oneof(
    { weight: 10, arbitrary: fc.tuple(at, values).map(([i, v]) => ({ kind: 'set' as const, at: i, ...v })) },
    { weight: 3, arbitrary: at.map((i) => ({ kind: 'delete' as const, at: i })) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(at, extraKeys, fc.anything({ maxDepth: 1 }))
        .map(([i, key, value]) => ({ kind: 'extra' as const, at: i, key, value })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(at, fc.constantFrom('__proto__' as const, 'constructor' as const, 'prototype' as const))
        .map(([i, key]) => ({ kind: 'pollute' as const, at: i, key })),
    },
    {
      weight: 2,
      arbitrary: rawBodies.map((raw) =>
        typeof raw === 'string' ? { kind: 'raw' as const, body: raw } : { kind: 'raw' as const, ...raw },
      ),
    },
  );
};

const POLLUTE = '\u0001pollute\u0001';

/** The request body text for a mutation of `base` (JSON written by hand where a key must be `__proto__`). */
function apply(base: unknown, paths: Path[], m: Mutation): { body: string; contentType: string } {
  if (m.kind === 'raw') return { body: m.body, contentType: m.contentType ?? 'application/json' };
  const clone = structuredClone(base);
  const isObject = !!clone && typeof clone === 'object' && !Array.isArray(clone);
  const body = (isObject ? clone : {}) as Record<string, unknown>;
  if (!isObject && (m.kind === 'set' || m.kind === 'delete'))
    return { body: JSON.stringify(clone), contentType: 'application/json' };
  const path = paths[m.at];
  const parentOf = (p: Path) => p.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], body);
  const objectAt = (p: Path) => {
    const target = p.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], body);
    return target && typeof target === 'object' && !Array.isArray(target) ? (target as Record<string, unknown>) : body;
  };
  if (m.kind === 'set') {
    if (path.length === 0) return { body: JSON.stringify(m.value) ?? 'null', contentType: 'application/json' };
    (parentOf(path) as Record<string | number, unknown>)[path[path.length - 1]] = m.value;
  } else if (m.kind === 'delete') {
    if (path.length === 0) return { body: '', contentType: 'application/json' };
    const parent = parentOf(path);
    if (Array.isArray(parent)) parent.splice(path[path.length - 1] as number, 1);
    else delete (parent as Record<string, unknown>)[path[path.length - 1]];
  } else if (m.kind === 'extra') {
    objectAt(path)[m.key] = m.value;
  } else {
    objectAt(path)[`${POLLUTE}${m.key}`] = m.key === 'constructor' ? { prototype: { polluted: true } } : { polluted: true };
    return {
      body: JSON.stringify(body).replaceAll(JSON.stringify(`${POLLUTE}${m.key}`), JSON.stringify(m.key)),
      contentType: 'application/json',
    };
  }
  return { body: JSON.stringify(body), contentType: 'application/json' };
}

// ---- the suite ---------------------------------------------------------------------------------------------

interface Route {
  method: 'POST';
  path: string;
  schema?: Schema;
  dto?: string;
}

describe('hostile input: a property-based fuzz of every write route', () => {
  let t: TestApp;
  let api: OpenApi;
  let store: EventStore;
  const ids: Record<string, string> = {};
  const clock = new ControllableClock('2026-11-25T10:00:00Z');

  beforeAll(async () => {
    t = await startTestApp((o) => StandaloneModule.forRoot(o), { clock });
    store = t.app.get<EventStore>(EVENT_STORE);
    api = (await t.app.inject({ method: 'GET', url: '/api/docs-json' })).json();
    // Real records for the path parameters, so a body that passes validation meets real rules.
    const discharge = dischargeApi(t);
    ids.caseId = await discharge.referred(HUB, { ...aReferral(), patient: { ...patient(), nhsNumber: '9990000034' } });
    await discharge.done(HUB, ids.caseId, 'criteria-to-reside/not-met', { from: '2026-11-20' });
    ids.delayId = randomUUID();
    await discharge.done(HUB, ids.caseId, 'delays', { reasonCode: 'CAP-P1', delayId: ids.delayId });
    const referral = await t.app.inject({
      method: 'POST',
      url: '/api/community-referrals',
      payload: { ...(BODIES.SubmitCommunityReferralDto() as object), patient: { ...patient(), nhsNumber: '9990000042' } },
      headers: await t.as(HUB),
    });
    ids.referralId = referral.json().referralId;
    ids.providerId = 'PRV-MENDIP-CARE';
    ids.siteId = 'FROME-CH';
    ids.bedId = 'FROME-CH-01';
  }, 60_000);
  afterAll(() => t.destroy());

  const writeRoutes = (): Route[] =>
    Object.entries(api.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([method]) => method === 'post')
        .map(([, op]) => {
          const schema = Object.values(op.requestBody?.content ?? {})[0]?.schema;
          return { method: 'POST' as const, path, schema, dto: schema?.$ref?.split('/').pop() };
        }),
    );

  const userFor = (route: Route) =>
    route.path === '/auth/dev/token'
      ? undefined
      : /\/offers\/\{offerId\}\/(accept|decline)$|\/packages\/\{packageId\}\/(start|reviews|end)$/.test(route.path)
        ? PROVIDER
        : HUB;

  it('finds the write routes in the OpenAPI document', () => {
    const routes = writeRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(40);
    expect(routes.map((r) => r.path)).toEqual(
      expect.arrayContaining(['/api/discharge-cases', '/api/community-referrals', '/api/bed-base/beds', '/auth/dev/token']),
    );
  });

  it(`given ${TOTAL}+ malformed requests across every write route, then no 5xx, every refusal names its field or code, and no refused request writes`, async () => {
    const started = Date.now();
    const routes = writeRoutes();
    const perRoute = Math.ceil(TOTAL / routes.length);
    const stats = {
      requests: 0,
      accepted: 0,
      refused: 0,
      byStatus: {} as Record<number, number>,
      byKind: {} as Record<string, number>,
    };
    const failures: string[] = [];

    for (const [index, route] of routes.entries()) {
      const base = route.dto && BODIES[route.dto] ? BODIES[route.dto]() : route.schema ? fromSchema(route.schema, api) : {};
      const paths = pathsOf(base);
      const url = route.path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? randomUUID());
      const user = userFor(route);
      const auth = user ? await t.as(user) : {};

      await fc.assert(
        fc.asyncProperty(mutations(paths.length), async (mutation) => {
          const { body, contentType } = apply(base, paths, mutation);
          const requestId = `fuzz-${stats.requests}`;
          const before = await store.headPosition();
          const response = await t.app.inject({
            method: 'POST',
            url,
            payload: body,
            headers: { ...auth, 'content-type': contentType, 'x-request-id': requestId },
          });
          stats.requests++;
          stats.byStatus[response.statusCode] = (stats.byStatus[response.statusCode] ?? 0) + 1;
          stats.byKind[mutation.kind] = (stats.byKind[mutation.kind] ?? 0) + 1;
          const where = `${route.method} ${route.path} ${mutation.kind}${'label' in mutation ? ` (${mutation.label})` : ''} → ${response.statusCode} ${response.body.slice(0, 300)}`;

          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
          if (response.statusCode >= 500) return void failures.push(`5xx: ${where} from ${body.slice(0, 300)}`);
          if (response.statusCode < 400) return void stats.accepted++;
          stats.refused++;

          let problem: { statusCode?: number; code?: unknown; errors?: Array<{ field?: unknown; rule?: unknown }> };
          try {
            problem = response.json();
          } catch {
            return void failures.push(`not JSON: ${where}`);
          }
          if (problem.statusCode !== response.statusCode || typeof problem.code !== 'string')
            failures.push(`not the common error shape: ${where}`);
          if (
            response.statusCode === 400 &&
            // (an unknown key may itself be "", and is named as such)
            !(problem.errors?.length && problem.errors.every((e) => typeof e.field === 'string' && typeof e.rule === 'string'))
          )
            failures.push(`400 names no field: ${where}`);

          // Nothing this request wrote: whatever was appended while it ran came from someone else.
          const after = await store.headPosition();
          if (after !== before) {
            const appended = await store.readAll({ after: before });
            const own = appended.filter((e) => e.metadata?.correlationId === requestId);
            if (own.length > 0) failures.push(`refused but wrote ${own.map((e) => e.type).join(', ')}: ${where}`);
          }
        }),
        { numRuns: perRoute, seed: SEED + index, endOnFailure: true },
      );
    }

    const seconds = (Date.now() - started) / 1000;
    // The numbers the security report quotes.
    console.log(
      `fuzz: ${stats.requests} requests over ${routes.length} write routes in ${seconds.toFixed(1)} s; ` +
        `${stats.refused} refused, ${stats.accepted} accepted; by status ${JSON.stringify(stats.byStatus)}; by mutation ${JSON.stringify(stats.byKind)}`,
    );
    expect(failures.slice(0, 20)).toEqual([]);
    expect(stats.requests).toBeGreaterThanOrEqual(10_000);
    expect(stats.byStatus[500] ?? 0).toBe(0);
  }, 240_000);
});
