import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Drain, then close. On SIGTERM the app first reports not-ready (so a load balancer stops sending), keeps
 * answering what clients already sent until it has been quiet for a moment, and only then closes: idle
 * keep-alive connections are closed at once, and anything arriving after that gets a clean 503.
 */
export class ShutdownState {
  draining = false;
  private inFlight = 0;
  private lastActivity = Date.now();

  started() {
    this.inFlight += 1;
    this.lastActivity = Date.now();
  }

  finished() {
    this.inFlight -= 1;
    this.lastActivity = Date.now();
  }

  /** Resolves once no request has been in flight for `quietMs`, or after `maxMs` whatever happens. */
  async quiet(quietMs: number, maxMs: number): Promise<void> {
    const deadline = Date.now() + maxMs;
    while (Date.now() < deadline) {
      if (this.inFlight === 0 && Date.now() - this.lastActivity >= quietMs) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

export const shutdownState = new ShutdownState();

export function installGracefulShutdown(app: NestFastifyApplication, { quietMs = 250, maxMs = 10_000 } = {}) {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', async () => shutdownState.started());
  fastify.addHook('onResponse', async () => shutdownState.finished());
  let stopping: Promise<void> | undefined;
  const stop = (signal: NodeJS.Signals) => {
    stopping ??= (async () => {
      shutdownState.draining = true;
      await shutdownState.quiet(quietMs, maxMs);
      await app.close();
      process.exit(signal === 'SIGTERM' || signal === 'SIGINT' ? 0 : 1);
    })();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
