import { Inject, Injectable } from '@nestjs/common';
import {
  CommandDispatcher,
  CommandRunner,
  deterministicUuid,
  DomainRefusal,
  type Command,
  type CommandOutcome,
} from '@app/event-sourcing';
import { CLOCK, CommandGateway, type Clock, type HttpCommandContext } from '@app/platform';
import { ProjectionRegistry } from '@app/projections/projections.module';
import type { ReferenceData } from '@app/reference-data';
import { REFERENCE_DATA } from '@app/reference-data/reference-data.module';
import { bedStreamOf, createBedDecider, type BedCommand } from './bed';
import { BED_BOARD, candidatesFrom, type BedBoardView } from './bed-board.projection';
import { bedRequestStreamOf, createBedRequestDecider, type BedRequest } from './bed-request';
import { refuse } from './codes';
import { assertBedFitsNeed, candidateBedOf, candidateSiteOf, needOf, recommendBeds } from './recommendation';
import { releaseSteps, reservationSteps, runRelease, runReservation } from './reservation-protocol';
import { bedBaseRulesFrom } from './routes';
import { assertSiteTakingAdmissions, createSiteDecider, siteStreamOf, type SiteCommand } from './site';

/** The protocol's steps are internal: a lost race is re-read and re-decided, so it ends in a refusal, not a 409 on revision. */
const PROTOCOL = { retries: 5 };

type BedOrSiteCommand = SiteCommand | BedCommand;

/**
 * The HTTP side of bed-base: commands go through the dispatcher to the pure deciders; views come from the
 * `bed-board` projection; a reservation runs the two-aggregate protocol on fresh state.
 */
@Injectable()
export class BedBaseService {
  private readonly requests;
  private readonly beds;
  private readonly sites;

  constructor(
    private readonly dispatcher: CommandDispatcher,
    private readonly runner: CommandRunner,
    private readonly gateway: CommandGateway,
    private readonly projections: ProjectionRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(REFERENCE_DATA) private readonly referenceData: ReferenceData,
  ) {
    const rules = bedBaseRulesFrom(referenceData);
    this.requests = createBedRequestDecider(rules);
    this.beds = createBedDecider(rules);
    this.sites = createSiteDecider(rules);
  }

  now(): string {
    return this.clock.now().toISOString();
  }

  board(): BedBoardView {
    return this.projections.get<BedBoardView>(BED_BOARD).current().view;
  }

  act(
    type: BedOrSiteCommand['type'],
    data: BedOrSiteCommand['data'],
    context: HttpCommandContext,
  ): Promise<CommandOutcome<unknown>> {
    const command = { type, data, metadata: this.gateway.metadata(context) } as Command;
    return this.dispatcher.dispatch(command, this.gateway.options(context));
  }

  /** Ranked beds with reasons, from the board; the request itself is read fresh so a closed one says so. */
  async recommendation(requestId: string) {
    const request = await this.openRequest(requestId);
    const board = this.board();
    const { beds, sites } = candidatesFrom(board);
    const recommendation = recommendBeds(needOf(request), beds, sites, this.referenceData);
    const describe = (bedId: string) => {
      const bed = board.beds[bedId];
      const site = bed && board.sites[bed.siteId];
      return (
        bed && {
          label: bed.label,
          siteId: bed.siteId,
          siteName: site?.name ?? bed.siteId,
          tier: bed.tier,
          category: bed.category,
        }
      );
    };
    return {
      requestId,
      caseId: request.caseId,
      need: needOf(request),
      summary: recommendation.summary,
      noBedFits: recommendation.noBedFits,
      ranked: recommendation.ranked.map((ranked) => ({ ...ranked, ...describe(ranked.bedId) })),
      excluded: recommendation.excluded,
    };
  }

  /**
   * The reservation protocol (reservation-protocol.ts): the site and the bed's fit are checked on fresh
   * state, then the bed is held, then the request records it (or the hold is given back). The reservation
   * id comes from the Idempotency-Key when there is one, so a retry converges on the same reservation.
   */
  async reserve(requestId: string, bedId: string, holdHours: number | undefined, context: HttpCommandContext) {
    const metadata = this.gateway.metadata(context);
    const request = await this.openRequest(requestId);
    const { state: bed } = await this.runner.load(this.beds, bedStreamOf(bedId));
    if (bed.status === 'none') throw refuse('BED_NOT_FOUND', `There is no bed ${bedId}`, 'not_found', { bedId });
    const reservationId = deterministicUuid(`bed-reservation:${metadata.commandId}`);
    // A retry (same Idempotency-Key) of a reservation that already holds the bed answers as the first time did.
    // Both halves must be there; a retry after a crash between them runs the (idempotent) protocol to finish it.
    const recorded = request.status === 'open' && request.reservation?.reservationId === reservationId;
    if (recorded && bed.holder?.reservationId === reservationId) {
      const { expiresAt } = bed.holder;
      return { reservationId, requestId, caseId: request.caseId, bedId, siteId: bed.siteId, expiresAt, replayed: true };
    }
    const { state: site } = await this.runner.load(this.sites, siteStreamOf(bed.siteId));
    try {
      assertSiteTakingAdmissions(site);
      // Who holds the bed is the bed's own rule, kept by its stream in step 1; here only the fit is checked.
      const candidate = { ...candidateBedOf(bed), reserved: false, occupied: false };
      assertBedFitsNeed(needOf(request), candidate, site.status === 'registered' ? candidateSiteOf(site) : undefined);
    } catch (error) {
      throw naming(error, bedId, bed.label);
    }
    const steps = reservationSteps({ requestId, caseId: request.caseId, bedId, reservationId, holdHours }, metadata);
    const outcome = await runReservation(steps, (command) => this.dispatcher.dispatch(command, PROTOCOL));
    if (outcome.outcome !== 'reserved') throw naming(outcome.refusal, bedId, bed.label);
    // The bed's own hold is the truth (and carries the deadline): after a crash between the two halves, the
    // retry finishes the request's half but the hold, and its expiry, are the first attempt's.
    const { state: held } = await this.runner.load(this.beds, bedStreamOf(bedId));
    const expiresAt =
      held.status !== 'none' && held.holder?.reservationId === reservationId ? held.holder.expiresAt : outcome.expiresAt;
    return { reservationId, requestId, caseId: request.caseId, bedId, siteId: bed.siteId, expiresAt, replayed: false };
  }

  /** The hub lets a reservation go: the bed, then the request. A repeat after it ended is a 409 saying so. */
  async release(requestId: string, reservationId: string, context: HttpCommandContext) {
    const request = await this.loadRequest(requestId);
    const held = request.status === 'open' ? request.reservation : null;
    if (held?.reservationId !== reservationId) {
      throw refuse(
        'RESERVATION_NOT_ACTIVE',
        'This request holds no such active reservation (released, expired or closed)',
        'conflict',
        {
          requestId,
          reservationId,
        },
      );
    }
    const steps = releaseSteps({ requestId, bedId: held.bedId, reservationId }, this.gateway.metadata(context));
    await runRelease(steps, (command) => this.dispatcher.dispatch(command, PROTOCOL));
    return { requestId, reservationId, bedId: held.bedId, released: true };
  }

  private async loadRequest(requestId: string): Promise<Exclude<BedRequest, { status: 'none' }>> {
    const { state } = await this.runner.load(this.requests, bedRequestStreamOf(requestId));
    if (state.status === 'none') throw refuse('BED_REQUEST_NOT_FOUND', 'There is no such bed request', 'not_found');
    return state;
  }

  private async openRequest(requestId: string) {
    const request = await this.loadRequest(requestId);
    if (request.status === 'closed') {
      throw refuse('BED_REQUEST_CLOSED', `The bed request was closed (${request.reason})`, 'conflict', {
        reason: request.reason,
      });
    }
    if (request.status === 'fulfilled') throw refuse('BED_REQUEST_FULFILLED', 'The person has already been admitted', 'conflict');
    return request;
  }
}

/** A refusal about a bed names it: the id in the body, and the bed in words in the message. */
const naming = (error: unknown, bedId: string, label: string): unknown => {
  if (!(error instanceof DomainRefusal)) return error;
  const { bedId: heldBedId, ...details } = error.details;
  return new DomainRefusal(error.code, `${label} (${bedId}): ${error.message}`, error.kind, {
    ...details,
    bedId,
    ...(heldBedId !== undefined && heldBedId !== bedId && { heldBedId }),
  });
};
