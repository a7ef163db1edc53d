import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { assertInScope, type Actor } from '@app/event-sourcing';
import { CommandContext as Ctx, CommandGateway, CurrentActor, Roles, ScopedBy, type CommandRequestContext } from '@app/platform';
import { CAPACITY_HORIZON_DAYS } from '../common';
import { ledgerIdOf, ledgerTotals } from '../capacity-ledger';
import { providerList, providerScreen } from '../home-care-view.projection';
import { commandHeaders } from './command-headers';
import {
  AfterPositionDto,
  DeclareCapacityDto,
  ProviderParamsDto,
  RegisterProviderDto,
  SuspendProviderDto,
} from './home-care.dtos';
import { HomeCareService } from './home-care.service';

/** Providers, their daily capacity return, and each provider's own screen. */
@ApiTags('home care: providers')
@ApiBearerAuth()
@Controller('api/home-care/providers')
export class HomeCareProvidersController {
  constructor(
    private readonly homeCare: HomeCareService,
    private readonly gateway: CommandGateway,
  ) {}

  @Get()
  @Roles('hub', 'admin', 'provider')
  @ApiOperation({ summary: 'Registered providers; a provider user sees itself' })
  async list(@Query() query: AfterPositionDto, @CurrentActor() actor: Actor) {
    return providerList(await this.homeCare.view(query.after), actor.role === 'provider' ? actor.organisation : undefined);
  }

  @Post()
  @Roles('hub', 'admin')
  @commandHeaders()
  @ApiOperation({ summary: 'Register a domiciliary provider and the localities it serves' })
  async register(@Body() dto: RegisterProviderDto, @Ctx() context: CommandRequestContext) {
    const outcome = await this.homeCare.registerProvider(dto, context);
    void context.reply.status(201).header('Location', `/api/home-care/providers/${dto.providerId}/view`);
    return { providerId: dto.providerId, ...this.gateway.respond(context.reply, outcome) };
  }

  @Post(':providerId/suspend')
  @HttpCode(200)
  @Roles('hub', 'admin')
  @commandHeaders()
  async suspend(
    @Param() { providerId }: ProviderParamsDto,
    @Body() dto: SuspendProviderDto,
    @Ctx() context: CommandRequestContext,
  ) {
    const outcome = await this.homeCare.providerCommand(
      { type: 'SuspendProvider', data: { providerId, reason: dto.reason } },
      context,
    );
    return { providerId, ...this.gateway.respond(context.reply, outcome) };
  }

  @Post(':providerId/reinstate')
  @HttpCode(200)
  @Roles('hub', 'admin')
  @commandHeaders()
  async reinstate(@Param() { providerId }: ProviderParamsDto, @Ctx() context: CommandRequestContext) {
    const outcome = await this.homeCare.providerCommand({ type: 'ReinstateProvider', data: { providerId } }, context);
    return { providerId, ...this.gateway.respond(context.reply, outcome) };
  }

  @Post(':providerId/capacity')
  @HttpCode(200)
  @Roles('provider', 'hub')
  @ScopedBy({ role: 'provider', field: 'providerId' })
  @commandHeaders()
  @ApiOperation({
    summary: 'The daily capacity return for one locality and date (today up to 14 days ahead); a later one corrects it',
  })
  async declare(
    @Param() { providerId }: ProviderParamsDto,
    @Body() dto: DeclareCapacityDto,
    @Ctx() context: CommandRequestContext,
  ) {
    const outcome = await this.homeCare.declareCapacity(providerId, dto, context);
    const totals = ledgerTotals(outcome.state as Parameters<typeof ledgerTotals>[0]);
    return {
      providerId,
      ledgerId: ledgerIdOf({ providerId, locality: dto.locality, date: dto.date }),
      ...totals,
      ...this.gateway.respond(context.reply, outcome),
    };
  }

  @Get(':providerId/view')
  @Roles('provider', 'hub')
  @ScopedBy({ role: 'provider', field: 'providerId' })
  @ApiOperation({
    summary: `A provider's own screen: capacity today and the next ${CAPACITY_HORIZON_DAYS} days by locality, open offers, its packages`,
  })
  async view(@Param() { providerId }: ProviderParamsDto, @Query() query: AfterPositionDto, @CurrentActor() actor: Actor) {
    assertInScope(actor, { provider: providerId });
    const screen = providerScreen(
      await this.homeCare.view(query.after),
      providerId,
      this.homeCare.now(),
      CAPACITY_HORIZON_DAYS + 1,
    );
    if (!screen) throw new NotFoundException({ code: 'PROVIDER_NOT_FOUND', message: 'There is no such provider' });
    return screen;
  }
}
