import { Inject, Logger, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayInit,
} from '@nestjs/websockets';
import { decodeJwt } from 'jose';
import type { Namespace, Socket } from 'socket.io';
import type { BedBoardView } from '@app/bed-base';
import type { CaseListView } from '@app/discharge';
import type { Actor, RecordedEvent } from '@app/event-sourcing';
import type { HomeCareView } from '@app/home-care';
import { CLOCK, InvalidToken, TokenVerifier, type Clock } from '@app/platform';
import type { LiveProjection } from '@app/projections';
import { ProjectionRegistry } from '@app/projections/projections.module';
import type { ReferenceData } from '@app/reference-data';
import { REFERENCE_DATA } from '@app/reference-data/reference-data.module';
import { londonDate } from '@app/time';
import type { CapacityKpisView } from '../projections/capacity-kpis';
import type { DischargeKpisView } from '../projections/discharge-kpis';
import type { PathwaySharesView } from '../projections/pathway-shares';
import { Coalescer } from './coalescer';
import {
  bedBoardPayload,
  bedBoardSite,
  capacityPayload,
  capacitySite,
  caseListPayload,
  isRefusal,
  kpisPayload,
  kpisSite,
  LIVE_VIEWS,
  pathwaySharesPayload,
  pathwaySharesSite,
  roomOf,
  subscriptionFor,
  touches,
  type ChangeSite,
  type LiveRefusal,
  type LiveSubscription,
  type LiveView,
} from './live-feed';

export const LIVE_FEED_OPTIONS = Symbol('LIVE_FEED_OPTIONS');

export interface LiveFeedOptions {
  /** The coalescing window per room; 100 ms unless a LIVE_FEED_OPTIONS provider says otherwise. */
  windowMs?: number;
}

const refused = (reason: string) => Object.assign(new Error('unauthorised'), { data: { reason } });

/**
 * The live feed (DESIGN §3, §4): socket.io on `/live`, authenticated at the handshake, one room per view
 * and scope. Projection changes go through a Coalescer per room: the first change is pushed at once, the
 * burst after it once per window with the latest state. Payloads carry codes and counts, never a person.
 */
@WebSocketGateway({ namespace: '/live', cors: false })
export class LiveFeedGateway implements OnGatewayInit<Namespace>, OnModuleInit, OnModuleDestroy {
  @WebSocketServer() private readonly server!: Namespace;
  private readonly logger = new Logger(LiveFeedGateway.name);
  private readonly coalescer: Coalescer;
  /** Rooms someone subscribed to; emptied rooms are dropped at their next push. */
  private readonly rooms = new Map<string, LiveSubscription>();
  /** caseId → area from referrals seen live, for the moment before pathway-shares has folded the same referral. */
  private readonly areas = new Map<string, string>();
  private readonly stopListening: Array<() => void> = [];
  /** The projections this deployment keeps, by name. */
  private readonly kept = new Map<string, LiveProjection<unknown>>();

  constructor(
    projections: ProjectionRegistry,
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(REFERENCE_DATA) private readonly referenceData: ReferenceData,
    @Optional() @Inject(LIVE_FEED_OPTIONS) options?: LiveFeedOptions,
  ) {
    this.coalescer = new Coalescer((room) => this.push(room), { windowMs: options?.windowMs });
    for (const live of projections.all()) this.kept.set(live.projection.name, live);
  }

  /** A view is served when the deployment keeps every projection it is read from. */
  private available(view: LiveView): boolean {
    return LIVE_VIEWS[view].every((name) => this.kept.has(name));
  }

  private current<View>(name: string) {
    return (this.kept.get(name) as LiveProjection<View>).current();
  }

  /** Calls `site` on each change of projection `name`; a site (not null) marks the view's rooms in scope as changed. */
  private follow<View>(view: LiveView, name: string, site: (view: View, event: RecordedEvent) => ChangeSite | null) {
    if (!this.available(view)) return;
    const live = this.kept.get(name) as LiveProjection<View>;
    this.stopListening.push(
      live.onChange((state, event) => {
        const where = site(state, event);
        if (where) this.changed(view, where);
      }),
    );
  }

  /** Guards do not run on the handshake (nestjs/nest#882), so the token is checked by namespace middleware. */
  afterInit(namespace: Namespace) {
    namespace.use((socket, next) => {
      this.authenticate(socket).then(
        () => next(),
        (error: Error) => next(error),
      );
    });
  }

  onModuleInit() {
    this.follow<PathwaySharesView>('pathway-shares', 'pathway-shares', pathwaySharesSite);
    this.follow<CaseListView>('case-list', 'discharge-case-list', (view, event) => {
      const { caseId, area } = event.data as { caseId?: string; area?: string };
      if (!caseId) return null;
      if (event.type === 'ReferralSubmitted' && typeof area === 'string') this.areas.set(caseId, area);
      const state = view.cases[caseId]?.state;
      return { hospital: state && state.status !== 'none' ? state.hospital : undefined, area: this.areaOf(caseId) };
    });
    this.follow<BedBoardView>('bed-board', LIVE_VIEWS['bed-board'][0], bedBoardSite);
    this.follow<HomeCareView>('capacity', LIVE_VIEWS.capacity[0], capacitySite);
    // Every KPI projection's change may move a figure; the burst one event causes across them is coalesced.
    for (const name of LIVE_VIEWS.kpis) this.follow<unknown>('kpis', name, (view, event) => kpisSite(name, view, event));
  }

  onModuleDestroy() {
    for (const stop of this.stopListening.splice(0)) stop();
    this.coalescer.close();
  }

  /** `subscribe {view, area?}`: joins the room, sends its current state at once, and acks `{ok, room}` or `{error}`. */
  @SubscribeMessage('subscribe')
  async subscribe(@ConnectedSocket() socket: Socket, @MessageBody() request: unknown) {
    const actor = socket.data.actor as Actor | undefined;
    if (!actor) return { error: { code: 'UNAUTHENTICATED', message: 'Not signed in' } };
    const subscription = subscriptionFor(actor, request);
    if (isRefusal(subscription)) return { error: subscription };
    if (!this.available(subscription.view)) return { error: unavailable(subscription.view) };
    const room = roomOf(subscription);
    this.rooms.set(room, subscription);
    await socket.join(room);
    socket.emit('update', this.updateFor(room, subscription));
    return { ok: true, room };
  }

  @SubscribeMessage('unsubscribe')
  async unsubscribe(@ConnectedSocket() socket: Socket, @MessageBody() request: { room?: unknown } | undefined) {
    const room = request?.room;
    if (typeof room !== 'string' || !socket.rooms.has(room) || !room.startsWith('view:'))
      return { error: { code: 'NOT_SUBSCRIBED', message: 'unsubscribe takes { room } of a room you joined' } };
    await socket.leave(room);
    return { ok: true, room };
  }

  private async authenticate(socket: Socket) {
    if (socket.handshake.query?.token !== undefined) throw refused('tokens are not accepted in the URL: send auth.token');
    const given: unknown = socket.handshake.auth?.token;
    if (typeof given !== 'string' || given.trim() === '') throw refused('the handshake needs auth.token, a bearer token');
    const token = given.startsWith('Bearer ') ? given.slice(7).trim() : given.trim();
    try {
      socket.data.actor = await this.verifier.verify(token);
    } catch (error) {
      throw refused(error instanceof InvalidToken ? error.message : 'the token could not be verified');
    }
    // A connection lives no longer than its token: the client reconnects with a fresh one.
    const exp = decodeJwt(token).exp;
    if (exp !== undefined) {
      const timer = setTimeout(() => socket.disconnect(true), Math.min(Math.max(exp * 1000 - Date.now(), 0), 2 ** 31 - 1));
      socket.once('disconnect', () => clearTimeout(timer));
    }
  }

  private changed(view: LiveView, site: ChangeSite) {
    for (const [room, subscription] of this.rooms) {
      if (subscription.view === view && touches(subscription, site)) this.coalescer.change(room);
    }
  }

  private push(room: string) {
    const subscription = this.rooms.get(room);
    if (!subscription || !this.server?.adapter.rooms.has(room)) {
      this.rooms.delete(room);
      this.coalescer.forget(room);
      return;
    }
    try {
      this.server.to(room).emit('update', this.updateFor(room, subscription));
    } catch (error) {
      this.logger.error(`Could not push to ${room}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private updateFor(room: string, subscription: LiveSubscription) {
    const base = { room, view: subscription.view, area: subscription.area, trust: subscription.trust };
    const now = this.clock.now().toISOString();
    switch (subscription.view) {
      case 'pathway-shares':
        return {
          ...base,
          data: pathwaySharesPayload(
            this.current<PathwaySharesView>('pathway-shares'),
            londonDate(now),
            subscription,
            this.referenceData,
          ),
        };
      case 'case-list':
        return {
          ...base,
          data: caseListPayload(this.current<CaseListView>('discharge-case-list'), subscription, (caseId) => this.areaOf(caseId)),
        };
      case 'bed-board':
        return {
          ...base,
          data: bedBoardPayload(this.current<BedBoardView>(LIVE_VIEWS['bed-board'][0]), subscription, now, this.referenceData),
        };
      case 'capacity':
        return {
          ...base,
          provider: subscription.provider,
          data: capacityPayload(this.current<HomeCareView>(LIVE_VIEWS.capacity[0]), subscription, now),
        };
      case 'kpis': {
        const [discharge, board, home, facts] = LIVE_VIEWS.kpis;
        const views = {
          discharge: this.current<DischargeKpisView>(discharge),
          capacity: {
            board: this.current<BedBoardView>(board).view,
            home: this.current<HomeCareView>(home).view,
            facts: this.current<CapacityKpisView>(facts).view,
          },
        };
        return { ...base, data: kpisPayload(views, subscription, now, this.referenceData) };
      }
    }
  }

  private areaOf(caseId: string): string | undefined {
    return this.kept.has('pathway-shares')
      ? (this.current<PathwaySharesView>('pathway-shares').view.cases[caseId]?.area ?? this.areas.get(caseId))
      : this.areas.get(caseId);
  }
}

const unavailable = (view: LiveView): LiveRefusal => ({
  code: 'VIEW_UNAVAILABLE',
  message: `${view} is not kept by this deployment`,
});
