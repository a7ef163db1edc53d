/**
 * SIGTERM under load. The standalone process is sent SIGTERM while a burst of commands is in flight, from clients
 * that keep their connections alive (as browsers and proxies do). Required:
 *   - every command the server answered 2xx is in the store;
 *   - each context's relay has flushed: its checkpoint is the newest position of its categories after the exit;
 *   - no request is cut off: each gets a complete HTTP answer (a 2xx, or a clean 503 once the server is closing);
 *   - the process exits promptly, whatever idle keep-alive connections clients hold.
 * Two bursts: one where SIGTERM lands while the server is busy with the commands (timing as it comes), and one made
 * deterministic by pausing the process (SIGSTOP) while the burst arrives, then SIGTERM and SIGCONT: every request is
 * then in the kernel's hands before the signal, as when a GC pause or a long fold meets a deploy.
 * The last two were defects when this suite was written (see the note on each); libs/platform/src/shutdown.ts fixed them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, is2xx, KeepAliveClient, openStore, sleep, startStandalone, type Sent } from './support/standalone';
import { describeRelays, relayPositions } from './support/relays';
import {
  aCapacityReturn,
  aPathway,
  aReferral,
  HUB,
  key,
  PROVIDER,
  PROVIDER_ID,
  PROVIDER_LOCALITIES,
  WARD,
} from './support/workload';

jest.setTimeout(120_000);

const SEEDED_CASES = 60;
const BURST = 240;
/** How long the process may take to exit after SIGTERM once its in-flight commands are answered. */
const PROMPT_EXIT_MS = 5_000;

interface Outcome {
  dir: string;
  results: Sent[];
  /** Milliseconds from SIGTERM to exit while clients still held idle keep-alive connections (undefined: it did not). */
  exitedWithClientsConnectedIn?: number;
  exitedAfterDisconnectIn?: number;
}

/**
 * Starts the app on a fresh data dir, refers SEEDED_CASES cases, then sends a burst of BURST commands (P2
 * assignments, referrals, capacity returns) over keep-alive connections and SIGTERMs the process once every request
 * has been handed to the operating system. `paused`: the process is stopped (SIGSTOP) before the burst and continued
 * (SIGCONT) just after the SIGTERM.
 */
async function burstThenSigterm(paused: boolean, cleanup: Array<() => Promise<void>>): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'toc-reliability-sigterm-'));
  const app = await startStandalone(dir);
  cleanup.push(async () => {
    await app.ensureDead();
    if (process.env.KEEP_RELIABILITY_DATA !== '1') rmSync(dir, { recursive: true, force: true });
  });
  const client = new Client(app.url);
  await client.signIn(WARD, HUB, PROVIDER);
  const caseIds: string[] = [];
  for (let n = 0; n < SEEDED_CASES; n++) {
    const reply = await client.post(WARD, '/api/discharge-cases', aReferral(n), key());
    expect(reply.status).toBe(201);
    caseIds.push(reply.body.caseId);
  }
  const jobs: Array<Omit<Sent, 'reply' | 'error'>> = [];
  for (let n = 0; jobs.length < BURST; n++) {
    if (n < caseIds.length)
      jobs.push({ user: HUB, path: `/api/discharge-cases/${caseIds[n]}/pathway`, body: aPathway(2), key: key() });
    jobs.push({ user: WARD, path: '/api/discharge-cases', body: aReferral(500 + n, 2), key: key() });
    jobs.push({
      user: PROVIDER,
      path: `/api/home-care/providers/${PROVIDER_ID}/capacity`,
      body: aCapacityReturn(n, PROVIDER_LOCALITIES[n % 2], n % 15),
      key: key(),
    });
  }

  const keepAlive = new KeepAliveClient(app.url, (user) => client.token(user));
  let terminatedAt = 0;
  let written = 0;
  let firstAnswerAt = 0;
  let exited = false;
  void app.exited.then(() => (exited = true));
  if (paused) app.kill('SIGSTOP');
  const started = Date.now();
  const terminate = () => {
    if (++written === jobs.length) {
      terminatedAt = Date.now();
      app.kill('SIGTERM');
      if (paused) setTimeout(() => app.kill('SIGCONT'), 50);
    }
  };
  const results = await Promise.all(
    jobs.map(async (job) => {
      const sent = await keepAlive.send(job, terminate);
      firstAnswerAt ||= Date.now();
      return sent;
    }),
  );
  // The clients keep their (now idle) connections open: does the process still exit?
  const outcome: Outcome = { dir, results };
  while (!exited && Date.now() - terminatedAt < PROMPT_EXIT_MS) await sleep(20);
  if (exited) outcome.exitedWithClientsConnectedIn = Date.now() - terminatedAt;
  else {
    const disconnected = Date.now();
    keepAlive.agent.destroy();
    await app.exited;
    outcome.exitedAfterDisconnectIn = Date.now() - disconnected;
  }
  const acknowledged = results.filter(is2xx).length;
  const cut = results.filter((r) => r.error !== undefined);
  console.log(
    `${paused ? 'paused' : 'busy'}: SIGTERM ${terminatedAt - started} ms into a burst of ${jobs.length} ` +
      `(first answer at ${firstAnswerAt - started} ms): ${acknowledged} × 2xx, ${results.length - acknowledged - cut.length} other answers, ` +
      `${cut.length} cut off (${[...new Set(cut.map((r) => r.error))].join(', ') || 'none'}); ` +
      (outcome.exitedWithClientsConnectedIn !== undefined
        ? `exited ${outcome.exitedWithClientsConnectedIn} ms after SIGTERM`
        : `still running ${PROMPT_EXIT_MS} ms after SIGTERM with idle keep-alive connections open; exited ${outcome.exitedAfterDisconnectIn} ms after the clients closed them`),
  );
  return outcome;
}

describe('SIGTERM under load', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const step of cleanup) await step();
  });

  describe('while the server is busy with the burst', () => {
    let outcome: Outcome;
    beforeAll(async () => {
      outcome = await burstThenSigterm(false, cleanup);
    }, 120_000);

    it('finishes the commands in flight: every 2xx is stored, and nothing else but a clean 503 is answered', () => {
      const acknowledged = outcome.results.filter(is2xx);
      expect(acknowledged.length).toBeGreaterThan(0);
      // Never a 500 from a store closed under a running command.
      const others = outcome.results.filter((r) => r.reply && !is2xx(r) && r.reply.status !== 503);
      expect(others.map((r) => `${r.path}: ${r.reply!.status} ${JSON.stringify(r.reply!.body)}`)).toEqual([]);
      const db = openStore(outcome.dir);
      try {
        const byId = db.prepare('SELECT stream_id FROM events WHERE event_id = ?');
        const missing = acknowledged.flatMap((sent) =>
          (sent.reply!.body.events as Array<{ id: string }>)
            .filter((event) => (byId.get(event.id) as { stream_id: string } | undefined)?.stream_id !== sent.reply!.body.streamId)
            .map((event) => `${sent.path} ${event.id}`),
        );
        expect(missing).toEqual([]);
      } finally {
        db.close();
      }
    });

    it('flushes every relay before it exits: each checkpoint is the newest position of its categories', () => {
      const db = openStore(outcome.dir);
      try {
        const relays = relayPositions(db);
        console.log(`relay checkpoints after SIGTERM (checkpoint/head): ${describeRelays(relays)}`);
        for (const relay of relays) expect(relay).toEqual({ ...relay, checkpoint: relay.head });
      } finally {
        db.close();
      }
    });

    // Was a defect: Fastify's keepAliveTimeout is 72 s, and close() only dropped connections idle at the moment it was
    // called, so a client holding its connection kept the process up to 72 s after SIGTERM. Now idle connections are
    // closed as the server closes (forceCloseConnections: 'idle').
    it(`exits within ${PROMPT_EXIT_MS / 1000} s of SIGTERM although clients hold idle keep-alive connections`, () => {
      expect(outcome.exitedWithClientsConnectedIn).toBeDefined();
    });
  });

  describe('when the burst arrived while the process was paused', () => {
    let outcome: Outcome;
    beforeAll(async () => {
      outcome = await burstThenSigterm(true, cleanup);
    }, 120_000);

    // Was a defect (about 239 of 240 cut): Nest closed Fastify at once on SIGTERM, resetting connections still in the
    // backlog and accepted ones whose request was not yet parsed. Now the app reports not-ready, keeps answering until
    // it has been quiet for a moment, and only then closes.
    it('cuts no request off: each request sent before SIGTERM gets a complete answer', () => {
      expect(outcome.results.filter((r) => r.error !== undefined).map((r) => `${r.path}: ${r.error}`)).toEqual([]);
    });

    it('still answers nothing but 2xx or a clean 503, and stores every 2xx', () => {
      const others = outcome.results.filter((r) => r.reply && !is2xx(r) && r.reply.status !== 503);
      expect(others.map((r) => `${r.path}: ${r.reply!.status}`)).toEqual([]);
      const db = openStore(outcome.dir);
      try {
        const byId = db.prepare('SELECT count(*) AS n FROM events WHERE event_id = ?');
        for (const sent of outcome.results.filter(is2xx)) {
          for (const event of sent.reply!.body.events as Array<{ id: string }>) expect(byId.get(event.id)).toEqual({ n: 1 });
        }
      } finally {
        db.close();
      }
    });
  });
});
