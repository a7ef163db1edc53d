import { Body, Controller, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { assertInScope, type Actor, type CommandOutcome } from '@app/event-sourcing';
import { CommandContext as Ctx, CommandGateway, CurrentActor, Roles, type CommandRequestContext } from '@app/platform';
import { ledgerGrid, packageList, packageSummary, waitingList } from '../home-care-view.projection';
import { CAPACITY_HORIZON_DAYS } from '../common';
import { londonDate } from '@app/time';
import { commandHeaders } from './command-headers';
import {
  AfterPositionDto,
  CancelPackageDto,
  DeclineOfferDto,
  EndPackageDto,
  LedgerQueryDto,
  OfferPackageDto,
  PackageListQueryDto,
  RecordReviewDto,
  StartPackageDto,
} from './home-care.dtos';
import { HomeCareService } from './home-care.service';

type Context = CommandRequestContext;

/** Packages, offers and their answers. Who may act on which package is the decider's rule (assertActsFor). */
@ApiTags('home care: packages')
@ApiBearerAuth()
@Controller('api/home-care/packages')
export class HomeCarePackagesController {
  constructor(
    private readonly homeCare: HomeCareService,
    private readonly gateway: CommandGateway,
  ) {}

  @Get()
  @Roles('hub', 'provider')
  @ApiOperation({ summary: 'Packages, latest change first: the hub sees all, a provider those placed with it' })
  async list(@Query() query: PackageListQueryDto, @CurrentActor() actor: Actor) {
    const view = await this.homeCare.view(query.after);
    return packageList(view, this.homeCare.now(), actor.role === 'provider' ? actor.organisation : undefined)
      .filter((p) => !query.status || p.status === query.status)
      .filter((p) => !query.area || p.area === query.area)
      .slice(0, 500);
  }

  @Get(':packageId')
  @Roles('hub', 'provider')
  @ApiOperation({ summary: 'One package; a provider may read it only while it holds an offer on it, and sees its own offers' })
  async read(
    @Param('packageId', ParseUUIDPipe) packageId: string,
    @Query() query: AfterPositionDto,
    @CurrentActor() actor: Actor,
  ) {
    const entry = (await this.homeCare.view(query.after)).packages[packageId];
    if (!entry) throw new NotFoundException({ code: 'PACKAGE_NOT_FOUND', message: 'There is no such home-care package' });
    if (actor.role !== 'provider') return packageSummary(entry, this.homeCare.now());
    assertInScope(actor, {
      provider: entry.state.offers.some((o) => o.providerId === actor.organisation) ? actor.organisation : undefined,
    });
    return packageSummary(entry, this.homeCare.now(), actor.organisation);
  }

  @Get(':packageId/offers/:offerId')
  @Roles('hub', 'provider')
  @ApiOperation({ summary: 'One offer: the hub, or the provider it was made to' })
  async offer(
    @Param('packageId', ParseUUIDPipe) packageId: string,
    @Param('offerId', ParseUUIDPipe) offerId: string,
    @Query() query: AfterPositionDto,
    @CurrentActor() actor: Actor,
  ) {
    const entry = (await this.homeCare.view(query.after)).packages[packageId];
    const offer = entry?.state.offers.find((o) => o.offerId === offerId);
    if (!entry || !offer) throw new NotFoundException({ code: 'OFFER_NOT_FOUND', message: 'There is no such offer' });
    assertInScope(actor, { provider: offer.providerId });
    return { packageId, packageRevision: entry.revision, area: entry.state.area, packageStatus: entry.state.status, ...offer };
  }

  @Post(':packageId/offers')
  @Roles('hub')
  @commandHeaders()
  @ApiOperation({
    summary: 'Offer the package to a provider: its hours are held on the provider’s ledger first (409 when not free)',
  })
  async makeOffer(@Param('packageId', ParseUUIDPipe) packageId: string, @Body() dto: OfferPackageDto, @Ctx() context: Context) {
    const { offerId, outcome } = await this.homeCare.offer(packageId, dto, context);
    void context.reply.status(201).header('Location', `/api/home-care/packages/${packageId}/offers/${offerId}`);
    return { packageId, offerId, ...this.gateway.respond(context.reply, outcome) };
  }

  @Post(':packageId/offers/:offerId/accept')
  @HttpCode(200)
  @Roles('provider')
  @commandHeaders()
  @ApiOperation({ summary: 'The offered provider accepts: first acceptance wins, its hours are committed' })
  accept(
    @Param('packageId', ParseUUIDPipe) packageId: string,
    @Param('offerId', ParseUUIDPipe) offerId: string,
    @Ctx() context: Context,
  ) {
    return this.run(packageId, 'AcceptPackageOffer', { offerId }, context);
  }

  @Post(':packageId/offers/:offerId/decline')
  @HttpCode(200)
  @Roles('provider')
  @commandHeaders()
  @ApiOperation({ summary: 'The offered provider declines, with a coded reason: its held hours are released' })
  decline(
    @Param('packageId', ParseUUIDPipe) packageId: string,
    @Param('offerId', ParseUUIDPipe) offerId: string,
    @Body() dto: DeclineOfferDto,
    @Ctx() context: Context,
  ) {
    return this.run(packageId, 'DeclinePackageOffer', { offerId, reason: dto.reason }, context);
  }

  @Post(':packageId/start')
  @HttpCode(200)
  @Roles('provider')
  @commandHeaders()
  @ApiOperation({ summary: 'The provider that accepted records the day care started' })
  start(@Param('packageId', ParseUUIDPipe) packageId: string, @Body() dto: StartPackageDto, @Ctx() context: Context) {
    return this.run(packageId, 'StartPackage', { startedOn: dto.startedOn }, context);
  }

  @Post(':packageId/reviews')
  @HttpCode(200)
  @Roles('provider')
  @commandHeaders()
  @ApiOperation({ summary: 'A reablement review: progress and the hours a week needed now' })
  review(@Param('packageId', ParseUUIDPipe) packageId: string, @Body() dto: RecordReviewDto, @Ctx() context: Context) {
    const reviewId = dto.reviewId ?? this.homeCare.reviewIdFor(context);
    return this.run(packageId, 'RecordReablementReview', { ...dto, reviewId }, context);
  }

  @Post(':packageId/end')
  @HttpCode(200)
  @Roles('provider')
  @commandHeaders()
  @ApiOperation({ summary: 'The provider that accepted ends the package with an outcome' })
  end(@Param('packageId', ParseUUIDPipe) packageId: string, @Body() dto: EndPackageDto, @Ctx() context: Context) {
    return this.run(packageId, 'EndPackage', { outcome: dto.outcome, endedOn: dto.endedOn }, context);
  }

  @Post(':packageId/cancel')
  @HttpCode(200)
  @Roles('hub')
  @commandHeaders()
  @ApiOperation({ summary: 'Cancel a request not yet started: open offers are withdrawn and held or committed hours released' })
  cancel(@Param('packageId', ParseUUIDPipe) packageId: string, @Body() dto: CancelPackageDto, @Ctx() context: Context) {
    return this.run(packageId, 'CancelPackageRequest', { reason: dto.reason }, context);
  }

  private async run(packageId: string, type: Parameters<HomeCareService['act']>[1], data: object, context: Context) {
    const outcome: CommandOutcome<unknown> = await this.homeCare.act(packageId, type, data as never, context);
    return { packageId, ...this.gateway.respond(context.reply, outcome) };
  }
}

/** The hub's D2A views: the capacity ledger grid and the people waiting for a package. */
@ApiTags('home care: hub')
@ApiBearerAuth()
@Controller('api/home-care')
export class HomeCareHubController {
  constructor(private readonly homeCare: HomeCareService) {}

  @Get('ledger')
  @Roles('hub')
  @ApiOperation({
    summary: 'Provider × locality × day: declared, held, committed and free (= declared − held − committed); workforce absence',
  })
  async ledger(@Query() query: LedgerQueryDto) {
    const from = query.from ?? londonDate(this.homeCare.now());
    return ledgerGrid(await this.homeCare.view(query.after), from, query.days ?? CAPACITY_HORIZON_DAYS + 1);
  }

  @Get('waiting')
  @Roles('hub')
  @ApiOperation({ summary: 'People waiting for a package: ids, area, hours, days waiting and offers out; no names' })
  async waiting(@Query() query: AfterPositionDto) {
    return waitingList(await this.homeCare.view(query.after), this.homeCare.now());
  }
}
