/**
 * The hub's read side, measured: how fast the discharge projections rebuild from a store of N events (no snapshot),
 * the RSS once they are loaded, and how long the built standalone app takes to start on that store — first with no
 * snapshot (a rebuild), then from the snapshots its clean stop wrote.
 *
 *   npm run bench:projection      (node --expose-gc -r ts-node/register/transpile-only bench/projection.bench.ts)
 *   BENCH_EVENTS=1000000 BENCH_DIR=/mnt/other npm run bench:projection
 *
 * The store holds discharge cases from referral to discharge, about 20 events each (referral, acceptance, NCTR,
 * pathway, seven or eight delays opened and closed, discharge; one in ten still in hospital), spread over the last
 * 120 days, with the event shapes the discharge context writes. Generation is not measured. Projections and the
 * store come from the same build the app runs (dist/ when fresh, otherwise a private build of the current sources).
 * Figures are printed, never asserted.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureStandaloneBuild } from '../test/reliability/support/global-setup';
import { Client, distDir, openStore, sleep, startStandalone, type Standalone } from '../test/reliability/support/standalone';
import { HUB } from '../test/reliability/support/workload';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const EVENTS_PER_CASE = 20;
const DAY = 86_400_000;

/* eslint-disable @typescript-eslint/no-explicit-any */
interface Projection {
  name: string;
  categories: string[];
  initial(): any;
  evolve(view: any, event: any): any;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

const AREAS = ['SEDGEMOOR', 'MENDIP', 'SOMERSET_WEST_AND_TAUNTON', 'SOUTH_SOMERSET'];
const AGE_BANDS = ['18-64', '65-74', '75-84', '85+'];
const DELAY_CODES = ['CAP-P1', 'CAP-P2', 'CAP-P3', 'HOSP-THERAPY', 'HUB-ACTION'];
const PLANS = [
  { pathway: 0, homeCareNeeded: null, bedCategory: null, intentionToReturnHome: null },
  { pathway: 1, homeCareNeeded: true, bedCategory: null, intentionToReturnHome: null },
  { pathway: 1, homeCareNeeded: false, bedCategory: null, intentionToReturnHome: null },
  { pathway: 2, homeCareNeeded: null, bedCategory: 'rehab', intentionToReturnHome: true },
  { pathway: 3, homeCareNeeded: null, bedCategory: 'nursing', intentionToReturnHome: null },
];
const londonDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const iso = (ms: number) => new Date(ms).toISOString();

/** One discharge case's events, from referral to discharge (or still in hospital). */
function aCase(n: number, now: number): { streamId: string; events: Array<{ type: string; data: object; at: number }> } {
  const caseId = randomUUID();
  const patientId = randomUUID();
  // At least 8 days ago, so that the DRD and every discharge are in the past.
  const submitted = now - 8 * DAY - Math.floor(((n * 7919) % 112_000) * 0.001 * DAY);
  const plan = PLANS[n % PLANS.length];
  const area = AREAS[n % AREAS.length];
  const ageBand = AGE_BANDS[n % AGE_BANDS.length];
  const drd = submitted + DAY;
  const delays = 7 + (n % 2);
  const discharged = n % 10 !== 0 ? Math.min(now - 60_000, drd + (1 + (n % 6)) * DAY) : undefined;
  const events: Array<{ type: string; data: object; at: number }> = [];
  const push = (type: string, at: number, data: object) => events.push({ type, at, data: { caseId, ...data } });
  push('ReferralSubmitted', submitted, {
    patientId,
    hospital: 'RH5',
    site: 'RH5A8',
    ward: 'RH5A8-ELIOT',
    admittedOn: londonDay(submitted - 3 * DAY),
    area,
    usualResidence: 'own-home',
    ageBand,
    proposedPathway: plan.pathway,
    needs: {
      mobility: 'walking-aid',
      cognition: 'no-concerns',
      careHoursPerWeek: 14,
      equipment: ['walking-frame'],
      specialist: {
        bariatric: false,
        dementia: false,
        endOfLife: false,
        opmh: false,
        sideRoom: false,
        sexForBayAllocation: 'no-requirement',
      },
    },
    sealedNote: null,
    submittedAt: iso(submitted),
  });
  push('ReferralAccepted', submitted + 600_000, { submittedAt: iso(submitted), acceptedAt: iso(submitted + 600_000) });
  push('PathwayAssigned', submitted + 1_200_000, {
    ...plan,
    reason: 'mdt-assessment',
    assignedAt: iso(submitted + 1_200_000),
    previousPathway: null,
    previous: null,
  });
  push('CriteriaToResideNotMet', drd, { from: londonDay(drd), recordedAt: iso(drd) });
  const span = (discharged ?? now) - drd;
  for (let d = 0; d < delays; d++) {
    const opened = drd + Math.floor((span * d) / (delays + 1)) + 1000;
    const closed = opened + Math.floor(span / (delays + 1) / 2);
    const delayId = `delay-${d + 1}`;
    push('DelayOpened', opened, {
      delayId,
      reasonCode: DELAY_CODES[(n + d) % DELAY_CODES.length],
      reasonVersion: '2024-25',
      primary: true,
      sealedNote: null,
      openedAt: iso(opened),
    });
    push('DelayClosed', closed, { delayId, closure: 'resolved', promotedDelayId: null, sealedNote: null, closedAt: iso(closed) });
  }
  if (discharged !== undefined) {
    push('PatientDischarged', discharged, {
      patientId,
      ...plan,
      dischargedAt: iso(discharged),
      dischargedOn: londonDay(discharged),
      destination: '19',
      dischargeReadyDate: londonDay(drd),
      delayDays: Math.round((discharged - drd) / DAY),
      ageBand,
      followUpDueOn: londonDay(discharged + 91 * DAY),
      recordedAt: iso(discharged),
    });
  }
  return { streamId: `dischargeCase-${caseId}`, events };
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

async function main() {
  ensureStandaloneBuild();
  const dist = distDir();
  /* eslint-disable @typescript-eslint/no-require-imports */
  // A private build lives outside the repository: resolve its packages and the reference data from here.
  const root = join(__dirname, '..');
  process.env.NODE_PATH = join(root, 'node_modules');
  process.env.REFERENCE_DATA_FILE ??= join(root, 'libs', 'reference-data', 'data', 'somerset-illustrative.json');
  (require('node:module') as { Module: { _initPaths(): void } }).Module._initPaths();
  const { SqliteEventStore } = require(join(dist, 'libs/event-sourcing/src/index.js'));
  const { caseList } = require(join(dist, 'libs/discharge/src/case-list.projection.js'));
  const { pathwayShares, dischargeKpis } = require(join(dist, 'libs/hub/src/index.js'));
  /* eslint-enable @typescript-eslint/no-require-imports */
  const projections: Projection[] = [caseList, pathwayShares, dischargeKpis];

  const base = process.env.BENCH_DIR ? resolve(process.env.BENCH_DIR) : tmpdir();
  const dir = mkdtempSync(join(base, 'toc-bench-projection-'));
  const dataDir = join(dir, 'data');
  console.log(
    `Projection bench: ${EVENTS.toLocaleString()} events (~${Math.ceil(EVENTS / EVENTS_PER_CASE).toLocaleString()} cases) in ${dir}; ` +
      `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}, Linux ${release()}, Node ${process.version}; build ${dist}`,
  );
  const apps: Standalone[] = [];
  try {
    // The store (not measured): whole cases appended in group commits, synchronous OFF.
    const generating = Date.now();
    const store = new SqliteEventStore({ filename: join(dataDir, 'hub.sqlite'), synchronous: 'OFF' });
    const now = Date.now();
    let written = 0;
    let cases = 0;
    while (written < EVENTS) {
      const batch: Array<Promise<unknown>> = [];
      for (let i = 0; i < 500 && written < EVENTS; i++) {
        const { streamId, events } = aCase(cases++, now);
        const metadata = {
          correlationId: streamId,
          causationId: streamId,
          actor: { userId: 'ward.musgrove', role: 'ward', organisation: 'RH5' },
        };
        batch.push(
          store.appendToStream(
            streamId,
            events.map((e) => ({ id: randomUUID(), type: e.type, data: e.data, metadata, occurredAt: iso(e.at) })),
            { expectedRevision: 'no_stream' },
          ),
        );
        written += events.length;
      }
      await Promise.all(batch);
    }
    await store.close();
    console.log(
      `generated ${written.toLocaleString()} events for ${cases.toLocaleString()} cases in ${((Date.now() - generating) / 1000).toFixed(1)} s`,
    );

    // Rebuild rate, in this process: read pages of $all by category (as LiveProjection.rebuild does) and fold.
    const reader = new SqliteEventStore({ filename: join(dataDir, 'hub.sqlite') });
    const rows: Array<Record<string, string | number>> = [];
    const fold = (chosen: Projection[], evolve: boolean) => {
      const categories = [...new Set(chosen.flatMap((p) => p.categories))];
      const views = chosen.map((p) => p.initial());
      const started = performance.now();
      let after: bigint | undefined;
      let count = 0;
      for (;;) {
        const page = reader.readAllSync({ after, categories, maxCount: 2000 });
        if (page.length === 0) break;
        for (const event of page) {
          if (evolve) for (let i = 0; i < chosen.length; i++) views[i] = chosen[i].evolve(views[i], event);
          count++;
        }
        after = page[page.length - 1].position;
      }
      const seconds = (performance.now() - started) / 1000;
      return { views, count, seconds };
    };
    const read = fold(projections, false);
    rows.push({
      fold: 'read and decode only (no evolve)',
      events: read.count,
      seconds: Number(read.seconds.toFixed(2)),
      'events/s': Math.round(read.count / read.seconds),
    });
    for (const projection of projections) {
      const one = fold([projection], true);
      rows.push({
        fold: projection.name,
        events: one.count,
        seconds: Number(one.seconds.toFixed(2)),
        'events/s': Math.round(one.count / one.seconds),
      });
    }
    const all = fold(projections, true);
    global.gc?.();
    const memory = process.memoryUsage();
    rows.push({
      fold: `all three, one pass (${projections.map((p) => p.name).join(', ')})`,
      events: all.count,
      seconds: Number(all.seconds.toFixed(2)),
      'events/s': Math.round(all.count / all.seconds),
    });
    await reader.close();
    console.table(rows);
    console.log(
      `this process with the three views loaded: RSS ${mb(memory.rss)} MB, heap used ${mb(memory.heapUsed)} MB` +
        (global.gc ? '' : ' (run with node --expose-gc for steadier figures)'),
    );
    void all.views;

    // Start-up of the app on this store: a rebuild (no snapshot), then from the snapshots its clean stop wrote.
    const startups: Array<Record<string, string | number>> = [];
    const head = () => {
      const db = openStore(dataDir);
      try {
        return (
          db.prepare(`SELECT max(position) AS p FROM events WHERE category IN ('dischargeCase', 'acuteActivity')`).get() as {
            p: number;
          }
        ).p;
      } finally {
        db.close();
      }
    };
    const target = head();
    for (const label of ['rebuild (no snapshot)', 'from snapshot']) {
      const started = Date.now();
      const app = await startStandalone(dataDir, { LOG_LEVEL: 'warn' }, 600_000);
      apps.push(app);
      const client = new Client(app.url);
      await client.signIn(HUB);
      let position = 0;
      for (;;) {
        const kpis = await client.get(HUB, '/api/hub/kpis');
        if (kpis.status !== 200) throw new Error(`GET /api/hub/kpis: ${kpis.status}\n${app.output().slice(-3000)}`);
        position = Number(kpis.body.position ?? 0);
        if (position >= target) break;
        await sleep(20);
      }
      const caughtUp = Date.now() - started;
      const rss =
        Number(/VmRSS:\s+(\d+)/.exec(require('node:fs').readFileSync(`/proc/${app.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024; // eslint-disable-line @typescript-eslint/no-require-imports
      startups.push({ start: label, 'ready (HTTP) ms': app.startedInMs, 'KPIs caught up ms': caughtUp, 'app RSS MB': mb(rss) });
      app.kill('SIGTERM');
      await app.exited;
    }
    console.table(startups);
    const rebuildRate = Math.round(all.count / all.seconds);
    const fromSnapshot = Number(startups[1]['KPIs caught up ms']);
    const appRss = Math.max(...startups.map((s) => Number(s['app RSS MB'])));
    console.log(
      `targets (stated at 1M events / 50k cases): rebuild ≥250k events/s → ${rebuildRate.toLocaleString()} (${rebuildRate >= 250_000 ? 'met' : 'NOT met'}); ` +
        `start-up from snapshot ≤2 s → ${fromSnapshot} ms (${fromSnapshot <= 2000 ? 'met' : 'NOT met'}); ` +
        `RSS ≤400 MB → app ${appRss} MB (${appRss <= 400 ? 'met' : 'NOT met'}) at ${EVENTS.toLocaleString()} events`,
    );
  } finally {
    await Promise.all(apps.map((a) => a.ensureDead()));
    if (process.env.KEEP_BENCH_DATA !== '1') rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
