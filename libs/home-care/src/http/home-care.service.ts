import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  CommandDispatcher,
  CommandRunner,
  deterministicUuid,
  DomainRefusal,
  WrongExpectedRevision,
  type Actor,
  type Command,
  type CommandMetadata,
  type CommandOutcome,
} from '@app/event-sourcing';
import { CLOCK, CommandGateway, type Clock, type HttpCommandContext } from '@app/platform';
import { ProjectionRegistry } from '@app/projections/projections.module';
import { REFERENCE_DATA } from '@app/reference-data/reference-data.module';
import type { ReferenceData } from '@app/reference-data';
import type { DeclareCapacity } from '../capacity-ledger';
import {
  homeCarePackageDecider,
  packageStreamOf,
  type HomeCarePackage,
  type HomeCarePackageCommand,
  type HomeCarePackageEvent,
} from '../home-care-package';
import { HOME_CARE_VIEW, type HomeCareView } from '../home-care-view.projection';
import { applyOffer, ledgerStepsAfter, planOffer } from '../orchestration';
import { assertProviderMayTake, providerDecider, providerStreamOf, type ProviderCommand } from '../provider';
import type { DeclareCapacityDto, OfferPackageDto, RegisterProviderDto } from './home-care.dtos';

/** How long an offer stays open when the hub names no expiry. */
export const DEFAULT_OFFER_HOURS = 4;
/** Conflicts on a ledger are re-read and re-decided: the ledger, not the caller's revision, decides who gets the hours. */
const LEDGER_RETRIES = 8;

/** Ledger moves that follow a person's package command are the system's consequence of it, not the person's act. */
const FOLLOW_UP_ACTOR: Actor = { userId: 'home-care', role: 'system', organisation: 'TOCH' };

type PackageAct = Exclude<HomeCarePackageCommand['type'], 'RequestPackage' | 'OfferPackage' | 'ExpirePackageOffer'>;
type DataOf<T extends HomeCarePackageCommand['type']> = Omit<Extract<HomeCarePackageCommand, { type: T }>['data'], 'packageId'>;

/**
 * HTTP → commands for home care. Rules live in the deciders; this adds only what spans aggregates: the
 * provider's standing before its ledger is touched, the hold-then-offer steps, and the ledger moves a
 * package command implies (which the packages process manager repeats from the events, at least once).
 */
@Injectable()
export class HomeCareService {
  private readonly logger = new Logger('HomeCare');

  constructor(
    private readonly dispatcher: CommandDispatcher,
    private readonly runner: CommandRunner,
    private readonly gateway: CommandGateway,
    private readonly projections: ProjectionRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(REFERENCE_DATA) private readonly referenceData: ReferenceData,
  ) {}

  now(): string {
    return this.clock.now().toISOString();
  }

  /** The current view; with `after`, once it includes that position (a command's response). */
  async view(after?: string): Promise<HomeCareView> {
    const live = this.projections.get<HomeCareView>(HOME_CARE_VIEW);
    if (after !== undefined) await live.caughtUpTo(BigInt(after));
    return live.current().view;
  }

  registerProvider(dto: RegisterProviderDto, context: HttpCommandContext) {
    const unknown = dto.localities.filter((code) => !this.referenceData.area(code));
    if (unknown.length > 0) {
      throw new DomainRefusal('UNKNOWN_LOCALITY', `Unknown locality ${unknown.join(', ')}`, 'unprocessable', {
        localities: unknown,
      });
    }
    return this.providerCommand({ type: 'RegisterProvider', data: dto }, context);
  }

  providerCommand(
    command: { type: ProviderCommand['type']; data: ProviderCommand['data'] },
    context: HttpCommandContext,
  ): Promise<CommandOutcome<unknown>> {
    return this.dispatcher.dispatch(
      { ...command, metadata: this.gateway.metadata(context) } as ProviderCommand,
      this.gateway.options(context),
    );
  }

  /** The daily capacity return: the provider must be registered, active and serve the locality. */
  async declareCapacity(providerId: string, dto: DeclareCapacityDto, context: HttpCommandContext) {
    const { state: provider } = await this.runner.load(providerDecider, providerStreamOf(providerId));
    assertProviderMayTake(provider, dto.locality, 'declare capacity');
    const command: DeclareCapacity = {
      type: 'DeclareCapacity',
      data: {
        providerId,
        locality: dto.locality,
        date: dto.date,
        hoursPerWeek: dto.hoursPerWeek,
        newPackages: dto.newPackages,
        ...(dto.staffing && { staffing: { ...dto.staffing } }),
      },
      metadata: this.gateway.metadata(context),
    };
    // A return is absolute, not a change to the last one: without If-Match, a hold racing it is re-read and re-decided.
    return this.dispatcher.dispatch(command, { ...this.gateway.options(context), retries: LEDGER_RETRIES });
  }

  /**
   * Hold on the provider's ledger, then record the offer on the package; a refused offer releases the hold.
   * The offer id comes from the Idempotency-Key when there is one, so a retry converges on the same offer.
   */
  async offer(packageId: string, dto: OfferPackageDto, context: HttpCommandContext) {
    const options = this.gateway.options(context);
    const replayed = await this.runner.replayOf(homeCarePackageDecider, options.idempotency);
    if (replayed) return { offerId: offerIdOf(replayed), outcome: replayed };

    const metadata = this.gateway.metadata(context);
    const { state: pkg, revision } = await this.loadPackage(packageId);
    if (options.expectedRevision !== undefined && options.expectedRevision !== revision) {
      throw new WrongExpectedRevision(packageStreamOf(packageId), options.expectedRevision, revision ?? 'no_stream');
    }
    const { state: provider } = await this.runner.load(providerDecider, providerStreamOf(dto.providerId));
    assertProviderMayTake(provider, pkg.area, 'take offers');

    const offerId = context.idempotencyKey ? deterministicUuid(`offer:${metadata.commandId}`) : randomUUID();
    const expiresAt = dto.expiresAt ?? new Date(Date.parse(metadata.now) + DEFAULT_OFFER_HOURS * 3_600_000).toISOString();
    const steps = planOffer(
      pkg,
      { offerId, providerId: dto.providerId, startOn: dto.startOn, expiresAt, overrideReason: dto.overrideReason },
      metadata,
    );
    let outcome: CommandOutcome<unknown> | undefined;
    await applyOffer(steps, async (command) => {
      if (command.type !== 'OfferPackage') return this.dispatcher.dispatch(command, { retries: LEDGER_RETRIES });
      outcome = await this.dispatcher.dispatch(command, options);
      return outcome;
    });
    return { offerId, outcome: outcome! };
  }

  /** Accept, decline, start, review, end or cancel; then the ledger moves the written events imply. */
  async act<T extends PackageAct>(packageId: string, type: T, data: DataOf<T>, context: HttpCommandContext) {
    const metadata = this.gateway.metadata(context);
    const command = { type, data: { ...data, packageId }, metadata } as unknown as HomeCarePackageCommand;
    const outcome = await this.dispatcher.dispatch(command, this.gateway.options(context));
    await this.followUp(outcome, metadata);
    return outcome;
  }

  /**
   * Prompt ledger moves for a prompt view. The packages process manager makes the same moves from the
   * same events, so a failure here is logged, not the person's: their command is already recorded.
   */
  private async followUp(outcome: CommandOutcome<unknown>, metadata: CommandMetadata) {
    const written = outcome.events.map((e) => ({ type: e.type, data: e.data }) as HomeCarePackageEvent);
    for (const step of ledgerStepsAfter(written, { ...metadata, actor: FOLLOW_UP_ACTOR })) {
      try {
        await this.dispatcher.dispatch(step as Command, { retries: LEDGER_RETRIES });
      } catch (error) {
        this.logger.warn(`Ledger ${step.type} after ${outcome.streamId} left to the process manager: ${(error as Error).name}`);
      }
    }
  }

  async loadPackage(
    packageId: string,
  ): Promise<{ state: Exclude<HomeCarePackage, { status: 'none' }>; revision: number | undefined }> {
    const { state, revision } = await this.runner.load(homeCarePackageDecider, packageStreamOf(packageId));
    if (state.status === 'none') throw new DomainRefusal('PACKAGE_NOT_FOUND', 'There is no such home-care package', 'not_found');
    return { state, revision };
  }

  reviewIdFor(context: HttpCommandContext): string {
    return context.idempotencyKey ? deterministicUuid(`review:${this.gateway.metadata(context).commandId}`) : randomUUID();
  }
}

const offerIdOf = (outcome: CommandOutcome<unknown>): string =>
  (outcome.events.find((e) => e.type === 'PackageOffered')?.data as { offerId: string } | undefined)?.offerId ?? '';
