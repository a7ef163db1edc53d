import { randomUUID } from 'node:crypto';
import {
  Injectable,
  Module,
  type CallHandler,
  type DynamicModule,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { map } from 'rxjs';
import type { EventStore } from '@app/event-sourcing';
import { DeadlineScheduler, EVENT_STORE, PlatformModule, type Clock, type PlatformOptions } from '@app/platform';
import { ControllableClock } from '@app/time';
import { BedHoldModule, bedHoldExpiry } from '../support/example-context/bed-hold.module';
import { startTestApp, type TestApp } from '../support/app';

/** Simulates the process dying after the commit but before the response leaves. */
const crash = { afterCommit: false };
@Injectable()
class CrashAfterCommit implements NestInterceptor {
  intercept(_: ExecutionContext, next: CallHandler) {
    return next.handle().pipe(
      map((body) => {
        if (crash.afterCommit) throw new Error('simulated crash between commit and response');
        return body;
      }),
    );
  }
}

@Module({})
class ExampleApp {
  static forRoot(options: PlatformOptions): DynamicModule {
    return {
      module: ExampleApp,
      imports: [
        PlatformModule.forRoot({
          ...options,
          contexts: [{ context: 'example', categories: ['bedHold'], deadlineRules: [bedHoldExpiry] }],
          deadlineTickMs: 3_600_000,
        }),
        BedHoldModule,
      ],
      providers: [{ provide: APP_INTERCEPTOR, useClass: CrashAfterCommit }],
    };
  }
}

const start = (options: { dataDir?: string; clock?: Clock } = {}) => startTestApp((o) => ExampleApp.forRoot(o), options);
const aHold = (overrides: Record<string, unknown> = {}) => ({
  holdId: randomUUID(),
  bedCode: 'MPH-EXMOOR-04',
  minutes: 30,
  ...overrides,
});

describe('platform, end to end through an example context', () => {
  let t: TestApp;
  const clock = new ControllableClock('2026-11-23T08:00:00Z');
  beforeEach(async () => (t = await start({ clock })));
  afterEach(() => t?.destroy());

  const place = async (body: object, headers: Record<string, string> = {}, as = 'hub.coordinator') =>
    t.app.inject({ method: 'POST', url: '/api/example/holds', payload: body, headers: { ...(await t.as(as)), ...headers } });

  describe('sign-in and roles', () => {
    it('given no token, then a command is 401 with a Bearer challenge', async () => {
      const response = await t.app.inject({ method: 'POST', url: '/api/example/holds', payload: aHold() });
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(response.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    });

    it('given a forged token, then it is 401 and nothing is written', async () => {
      const hold = aHold();
      const { authorization } = await t.as('hub.coordinator');
      const [header, payload] = authorization.slice(7).split('.');
      const forged = `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/example/holds',
        payload: hold,
        headers: { authorization: `Bearer ${forged}` },
      });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code: 'INVALID_TOKEN' });
      expect(
        (await t.app.inject({ method: 'GET', url: `/api/example/holds/${hold.holdId}`, headers: await t.as('hub.coordinator') }))
          .statusCode,
      ).toBe(404);
    });

    it('given a ward user, when placing a hold that needs the hub role, then it is 403 naming the role', async () => {
      const response = await place(aHold(), {}, 'ward.musgrove');
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'ROLE_NOT_PERMITTED', message: expect.stringContaining('hub') });
    });

    it('given a ward user, then they may read their own hospital and not another', async () => {
      const own = await t.app.inject({
        method: 'GET',
        url: '/api/example/hospitals/RH5/notice',
        headers: await t.as('ward.musgrove'),
      });
      const other = await t.app.inject({
        method: 'GET',
        url: '/api/example/hospitals/RA4/notice',
        headers: await t.as('ward.musgrove'),
      });
      const hub = await t.app.inject({
        method: 'GET',
        url: '/api/example/hospitals/RA4/notice',
        headers: await t.as('hub.coordinator'),
      });
      const leader = await t.app.inject({
        method: 'GET',
        url: '/api/example/hospitals/RA4/notice',
        headers: await t.as('leader.ics'),
      });
      expect([own.statusCode, other.statusCode, hub.statusCode, leader.statusCode]).toEqual([200, 403, 200, 403]);
      expect(other.json()).toMatchObject({ code: 'OUT_OF_SCOPE' });
      expect(leader.json()).toMatchObject({ code: 'ROLE_NOT_PERMITTED' });
    });

    it('given a hub user, then the command is recorded with the actor on its metadata', async () => {
      const hold = aHold();
      expect((await place(hold)).statusCode).toBe(201);
      const store = t.app.get<EventStore>(EVENT_STORE);
      const [event] = await store.readStream(`bedHold-${hold.holdId}`);
      expect(event.metadata.actor).toEqual({ userId: 'hub.coordinator', role: 'hub', organisation: 'TOCH' });
      expect(event.occurredAt).toBe(clock.now().toISOString());
    });
  });

  it('given bad input, then 400 names every field and the rule it broke', async () => {
    const response = await place({ holdId: 'not-a-uuid', bedCode: 'lower case', minutes: 0, colour: 'blue' });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'holdId', rule: 'isUuid' }),
        expect.objectContaining({ field: 'bedCode', rule: 'matches', message: expect.stringContaining('bedCode') }),
        expect.objectContaining({ field: 'minutes', rule: 'min' }),
        expect.objectContaining({ field: 'colour', rule: 'whitelistValidation' }),
      ]),
    );
  });

  it('given a malformed If-Match or Idempotency-Key, then 400 names the header', async () => {
    const hold = aHold();
    await place(hold);
    const headers = { ...(await t.as('hub.coordinator')), 'if-match': 'yesterday' };
    const response = await t.app.inject({ method: 'POST', url: `/api/example/holds/${hold.holdId}/release`, headers });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([expect.objectContaining({ field: 'If-Match' })]);
    expect((await place(aHold(), { 'idempotency-key': 'x' })).json().errors).toEqual([
      expect.objectContaining({ field: 'Idempotency-Key' }),
    ]);
  });

  it('given a stale If-Match, then 409 carries the current revision and nothing is written', async () => {
    const hold = aHold();
    const placed = await place(hold);
    expect(placed.headers.etag).toBe('"0"');
    const headers = { ...(await t.as('hub.coordinator')), 'if-match': '"4"' };
    const response = await t.app.inject({ method: 'POST', url: `/api/example/holds/${hold.holdId}/release`, headers });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'REVISION_CONFLICT', currentRevision: 0 });
    expect(response.headers.etag).toBe('"0"');
    const fresh = { ...(await t.as('hub.coordinator')), 'if-match': '"0"' };
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/example/holds/${hold.holdId}/release`, headers: fresh })).statusCode,
    ).toBe(200);
  });

  it('given a domain refusal, then it is 422 with its code', async () => {
    const hold = aHold();
    await place(hold);
    const headers = await t.as('hub.coordinator');
    await t.app.inject({ method: 'POST', url: `/api/example/holds/${hold.holdId}/release`, headers });
    const again = await t.app.inject({ method: 'POST', url: `/api/example/holds/${hold.holdId}/release`, headers });
    expect(again.statusCode).toBe(422);
    expect(again.json()).toMatchObject({ code: 'HOLD_NOT_ACTIVE' });
  });

  describe('Idempotency-Key', () => {
    it('given a retried request, then it gets the first response and nothing is written twice', async () => {
      const hold = aHold();
      const key = randomUUID();
      const first = await place(hold, { 'idempotency-key': key });
      const retry = await place(hold, { 'idempotency-key': key });
      expect(first.statusCode).toBe(201);
      expect(retry.statusCode).toBe(201);
      expect(retry.json()).toEqual(first.json());
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(await t.app.get<EventStore>(EVENT_STORE).readStream(`bedHold-${hold.holdId}`)).toHaveLength(1);
    });

    it('given the process died between commit and response, when the client retries after a restart, then it converges on the committed outcome', async () => {
      const hold = aHold();
      const key = randomUUID();
      await t.as('hub.coordinator');
      crash.afterCommit = true;
      try {
        expect((await place(hold, { 'idempotency-key': key })).statusCode).toBe(500);
      } finally {
        crash.afterCommit = false;
      }
      await t.close();
      t = await start({ dataDir: t.dataDir, clock });

      const retry = await place(hold, { 'idempotency-key': key });
      expect(retry.statusCode).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      const stored = await t.app.get<EventStore>(EVENT_STORE).readStream(`bedHold-${hold.holdId}`);
      expect(stored).toHaveLength(1);
      expect(retry.json()).toMatchObject({ revision: 0, events: [{ id: stored[0].id, type: 'BedHoldPlaced', revision: 0 }] });
    });

    it('given a key already used for another request, then it is 422 and nothing is written', async () => {
      const key = randomUUID();
      await place(aHold(), { 'idempotency-key': key });
      const other = aHold();
      const reused = await place(other, { 'idempotency-key': key });
      expect(reused.statusCode).toBe(422);
      expect(reused.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
      await expect(t.app.get<EventStore>(EVENT_STORE).readStream(`bedHold-${other.holdId}`)).rejects.toThrow('does not exist');
    });
  });

  describe('durable deadlines', () => {
    it('given a hold placed before a restart, when its time passes after the restart, then it expires exactly once', async () => {
      const hold = aHold({ minutes: 30 });
      await place(hold);
      await t.close();

      await clock.advance({ minutes: 20 });
      t = await start({ dataDir: t.dataDir, clock });
      const scheduler = t.app.get(DeadlineScheduler);
      await scheduler.whenCaughtUp();
      expect(await scheduler.tick()).toBe(0);
      expect(scheduler.pendingDeadlines()).toHaveLength(1);

      await clock.advance({ minutes: 11 });
      expect(await scheduler.tick()).toBe(1);
      const view = await t.app.inject({
        method: 'GET',
        url: `/api/example/holds/${hold.holdId}`,
        headers: await t.as('hub.coordinator'),
      });
      expect(view.json()).toMatchObject({ status: 'expired', revision: 1 });

      await t.close();
      t = await start({ dataDir: t.dataDir, clock });
      const again = t.app.get(DeadlineScheduler);
      await again.whenCaughtUp();
      expect(again.pendingDeadlines()).toHaveLength(0);
      expect(await again.tick()).toBe(0);
      const events = await t.app.get<EventStore>(EVENT_STORE).readStream(`bedHold-${hold.holdId}`);
      expect(events.map((e) => e.type)).toEqual(['BedHoldPlaced', 'BedHoldExpired']);
      expect(events[1].occurredAt).toBe(clock.now().toISOString());
    });

    it('given a hold released before its time, then the deadline is settled and never fires', async () => {
      const hold = aHold({ minutes: 5 });
      await place(hold);
      await t.app.inject({
        method: 'POST',
        url: `/api/example/holds/${hold.holdId}/release`,
        headers: await t.as('hub.coordinator'),
      });
      const scheduler = t.app.get(DeadlineScheduler);
      await scheduler.whenCaughtUp();
      await new Promise((resolve) => setTimeout(resolve, 50));
      await clock.advance({ minutes: 10 });
      expect(await scheduler.tick()).toBe(0);
    });
  });
});
