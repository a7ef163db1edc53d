import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/event-sourcing';
import { CommandContext as Ctx, CommandGateway, CurrentActor, Roles, type CommandRequestContext } from '@app/platform';
import { boardRows, BED_STATUSES, longStays, openRequests, summaryOf } from './bed-board.projection';
import { BedBaseService } from './bed-base.service';
import { CloseBedDto, CloseSiteDto, CommissionBedDto, ID, LeaveBedDto, RegisterSiteDto, ReserveBedDto } from './bed-base.dtos';
import { refuse } from './codes';
import type { BedCommand } from './bed';
import type { SiteCommand } from './site';

type Context = CommandRequestContext;

const assertId = (value: string, field: string): string => {
  if (!ID.test(value)) throw refuse('NOT_FOUND', `No such ${field}`, 'not_found');
  return value;
};

/**
 * The single bed base over HTTP. Roles (DESIGN §4):
 * - hub: everything, and the only role that sees case ids (board, requests, long stays);
 * - admin: configuration (sites, beds, closures, escalation) and the board without case ids;
 * - leader and ward: the summary only (aggregates, no bed-level or case-level facts);
 * - provider: nothing.
 */
@ApiTags('bed base')
@ApiBearerAuth()
@Controller('api/bed-base')
export class BedBaseController {
  constructor(
    private readonly bedBase: BedBaseService,
    private readonly gateway: CommandGateway,
  ) {}

  // ─── Sites ──────────────────────────────────────────────────────────────────────────────────────────

  @Get('sites')
  @Roles('hub', 'admin')
  @ApiOperation({ summary: 'Every site, with whether it is taking admissions' })
  sites() {
    return Object.values(this.bedBase.board().sites).sort((a, b) => (a.siteId < b.siteId ? -1 : 1));
  }

  @Post('sites')
  @Roles('hub', 'admin')
  @ApiOperation({ summary: 'Register a site (configuration)' })
  async registerSite(@Body() dto: RegisterSiteDto, @Ctx() context: Context) {
    const outcome = await this.bedBase.act('RegisterSite', dto, context);
    void context.reply.status(201).header('Location', `/api/bed-base/sites/${dto.siteId}`);
    return { siteId: dto.siteId, ...this.gateway.respond(context.reply, outcome) };
  }

  @Post('sites/:siteId/close')
  @HttpCode(200)
  @Roles('hub', 'admin')
  @ApiOperation({ summary: 'Close a site to admissions (coded reason): its beds stay commissioned but take nobody' })
  closeSite(@Param('siteId') siteId: string, @Body() dto: CloseSiteDto, @Ctx() context: Context) {
    return this.site('CloseSiteToAdmissions', { siteId: assertId(siteId, 'site'), reason: dto.reason }, context);
  }

  @Post('sites/:siteId/reopen')
  @HttpCode(200)
  @Roles('hub', 'admin')
  reopenSite(@Param('siteId') siteId: string, @Ctx() context: Context) {
    return this.site('ReopenSiteToAdmissions', { siteId: assertId(siteId, 'site') }, context);
  }

  // ─── Beds ───────────────────────────────────────────────────────────────────────────────────────────

  @Get('beds')
  @Roles('hub', 'admin')
  @ApiOperation({ summary: 'The bed board: every commissioned bed and its status since when; case ids for the hub only' })
  @ApiQuery({ name: 'status', required: false, enum: BED_STATUSES })
  @ApiQuery({ name: 'siteId', required: false })
  board(@CurrentActor() actor: Actor, @Query('status') status?: string, @Query('siteId') siteId?: string) {
    return boardRows(this.bedBase.board(), actor.role === 'hub')
      .filter((row) => !status || row.status === status)
      .filter((row) => !siteId || row.siteId === siteId);
  }

  @Post('beds')
  @Roles('hub', 'admin')
  @ApiOperation({ summary: 'Commission a bed (configuration)' })
  async commission(@Body() dto: CommissionBedDto, @Ctx() context: Context) {
    const outcome = await this.bedBase.act('CommissionBed', dto, context);
    void context.reply.status(201).header('Location', `/api/bed-base/beds/${dto.bedId}`);
    return { bedId: dto.bedId, ...this.gateway.respond(context.reply, outcome) };
  }

  @Post('beds/:bedId/decommission')
  @HttpCode(200)
  @Roles('hub', 'admin')
  decommission(@Param('bedId') bedId: string, @Ctx() context: Context) {
    return this.bed('DecommissionBed', { bedId: assertId(bedId, 'bed') }, context);
  }

  @Post('beds/:bedId/close')
  @HttpCode(200)
  @Roles('hub', 'admin')
  @ApiOperation({ summary: 'Close a bed (coded reason)' })
  closeBed(@Param('bedId') bedId: string, @Body() dto: CloseBedDto, @Ctx() context: Context) {
    return this.bed('CloseBed', { bedId: assertId(bedId, 'bed'), reason: dto.reason }, context);
  }

  @Post('beds/:bedId/reopen')
  @HttpCode(200)
  @Roles('hub', 'admin')
  reopenBed(@Param('bedId') bedId: string, @Ctx() context: Context) {
    return this.bed('ReopenBed', { bedId: assertId(bedId, 'bed') }, context);
  }

  @Post('beds/:bedId/escalation/open')
  @HttpCode(200)
  @Roles('hub', 'admin')
  @ApiOperation({ summary: 'Open a winter escalation bed' })
  openEscalation(@Param('bedId') bedId: string, @Ctx() context: Context) {
    return this.bed('OpenEscalationBed', { bedId: assertId(bedId, 'bed') }, context);
  }

  @Post('beds/:bedId/escalation/stand-down')
  @HttpCode(200)
  @Roles('hub', 'admin')
  standDownEscalation(@Param('bedId') bedId: string, @Ctx() context: Context) {
    return this.bed('StandDownEscalationBed', { bedId: assertId(bedId, 'bed') }, context);
  }

  @Post('beds/:bedId/leave')
  @HttpCode(200)
  @Roles('hub')
  @ApiOperation({ summary: 'The person left the bed, with an outcome: the bed is free again' })
  leave(@Param('bedId') bedId: string, @Body() dto: LeaveBedDto, @Ctx() context: Context) {
    return this.bed('RecordPatientLeftBed', { bedId: assertId(bedId, 'bed'), outcome: dto.outcome }, context);
  }

  // ─── Requests and reservations ──────────────────────────────────────────────────────────────────────

  @Get('requests')
  @Roles('hub')
  @ApiOperation({ summary: 'Open bed requests, oldest first, with their needs and age' })
  requests() {
    return openRequests(this.bedBase.board(), this.bedBase.now());
  }

  @Get('requests/:requestId/recommendation')
  @Roles('hub')
  @ApiOperation({ summary: 'Beds that fit, ranked, with reasons in words; every other bed with why it was excluded' })
  recommendation(@Param('requestId', ParseUUIDPipe) requestId: string) {
    return this.bedBase.recommendation(requestId);
  }

  @Post('requests/:requestId/reservations')
  @Roles('hub')
  @ApiOperation({ summary: 'Reserve a bed for the request: one holder per bed, one reservation per request (else 409)' })
  async reserve(@Param('requestId', ParseUUIDPipe) requestId: string, @Body() dto: ReserveBedDto, @Ctx() context: Context) {
    const { replayed, ...reserved } = await this.bedBase.reserve(requestId, dto.bedId, dto.expiresInHours, context);
    void context.reply
      .status(201)
      .header('Location', `/api/bed-base/requests/${requestId}/reservations/${reserved.reservationId}`);
    if (replayed) void context.reply.header('Idempotent-Replayed', 'true');
    return reserved;
  }

  @Post('requests/:requestId/reservations/:reservationId/release')
  @HttpCode(200)
  @Roles('hub')
  release(
    @Param('requestId', ParseUUIDPipe) requestId: string,
    @Param('reservationId', ParseUUIDPipe) reservationId: string,
    @Ctx() context: Context,
  ) {
    return this.bedBase.release(requestId, reservationId, context);
  }

  // ─── Aggregates ─────────────────────────────────────────────────────────────────────────────────────

  @Get('summary')
  @Roles('hub', 'admin', 'leader', 'ward')
  @ApiOperation({ summary: 'Commissioned, open, closed, reserved, occupied and available beds by tier, site, area and category' })
  summary() {
    return summaryOf(this.bedBase.board(), this.bedBase.now());
  }

  @Get('long-stays')
  @Roles('hub')
  @ApiOperation({ summary: 'Stays of 21 days and more, for the weekly long-length-of-stay meeting' })
  longStays() {
    return longStays(this.bedBase.board(), this.bedBase.now());
  }

  private async site<T extends SiteCommand['type']>(type: T, data: Extract<SiteCommand, { type: T }>['data'], context: Context) {
    const outcome = await this.bedBase.act(type, data, context);
    return { siteId: data.siteId, ...this.gateway.respond(context.reply, outcome) };
  }

  private async bed<T extends BedCommand['type']>(type: T, data: Extract<BedCommand, { type: T }>['data'], context: Context) {
    const outcome = await this.bedBase.act(type, data, context);
    return { bedId: data.bedId, ...this.gateway.respond(context.reply, outcome) };
  }
}
