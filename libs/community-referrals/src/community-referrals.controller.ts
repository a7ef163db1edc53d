import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '@app/event-sourcing';
import {
  AccessAudit,
  CommandContext as Ctx,
  CommandGateway,
  CLOCK,
  CurrentActor,
  Roles,
  type Clock,
  type CommandRequestContext,
} from '@app/platform';
import { ProjectionRegistry } from '@app/projections/projections.module';
import { Inject } from '@nestjs/common';
import { CommunityReferralsService, publicFacts } from './community-referrals.service';
import {
  EndCareDto,
  FirstResponseDto,
  ReferralListQueryDto,
  StartCareDto,
  SubmitCommunityReferralDto,
  TriageDto,
  WithdrawReferralDto,
} from './community-referrals.dtos';
import {
  COMMUNITY_REFERRAL_MEASURES,
  responseMeasure,
  summariseCommunityReferrals,
  type CommunityReferralMeasuresView,
} from './measures';

const commandHeaders = () => (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
  ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry returns the first response' })(
    target,
    key!,
    descriptor!,
  );
  ApiHeader({ name: 'If-Match', required: false, description: 'The revision (ETag) you last saw; a stale one is 409' })(
    target,
    key!,
    descriptor!,
  );
};

type Context = CommandRequestContext;

/** HTTP → command for step-up and end-of-life referrals. The hub is the single point of access: it records and reads them. */
@ApiTags('community referrals')
@ApiBearerAuth()
@Controller('api/community-referrals')
export class CommunityReferralsController {
  constructor(
    private readonly referrals: CommunityReferralsService,
    private readonly gateway: CommandGateway,
    private readonly projections: ProjectionRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly audit: AccessAudit,
  ) {}

  @Post()
  @Roles('hub')
  @commandHeaders()
  @ApiOperation({ summary: 'Record a step-up or end-of-life referral (says when the person also has an open discharge case)' })
  async submit(@Body() dto: SubmitCommunityReferralDto, @Ctx() context: Context) {
    const { outcome, referralId, alsoOpen } = await this.referrals.submit(dto, context);
    void context.reply.status(201).header('Location', `/api/community-referrals/${referralId}`);
    return { referralId, alsoOpen, ...this.gateway.respond(context.reply, outcome) };
  }

  @Get()
  @Roles('hub')
  @ApiOperation({ summary: 'Referrals, newest change first, with their response measure' })
  list(@Query() query: ReferralListQueryDto) {
    const now = this.clock.now().toISOString();
    return Object.values(this.view().referrals)
      .filter(({ state }) => (!query.status || state.status === query.status) && (!query.kind || state.kind === query.kind))
      .sort((a, b) => b.lastChangedAt.localeCompare(a.lastChangedAt))
      .slice(0, 500)
      .map(({ state, revision, lastChangedAt }) => ({
        referralId: state.referralId,
        revision,
        status: state.status,
        lastChangedAt,
        response: responseMeasure(state, now),
        facts: publicFacts(state),
      }));
  }

  @Get('measures')
  @Roles('hub')
  @ApiOperation({ summary: 'Response within the service level, days to start, outcomes, end-of-life at home vs in a bed' })
  measures() {
    const states = Object.values(this.view().referrals).map((entry) => entry.state);
    return summariseCommunityReferrals(states, this.clock.now().toISOString());
  }

  @Get(':referralId')
  @Roles('hub')
  @ApiOperation({ summary: 'A referral with identity, full history and what else is open for the person' })
  async read(
    @Param('referralId', ParseUUIDPipe) referralId: string,
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const view = await this.referrals.read(referralId);
    this.audit.read(actor, request, [
      {
        patientId: view.patientId,
        resource: 'community-referral',
        resourceId: referralId,
        what: view.identity ? 'identity+history' : 'history (identity erased)',
      },
    ]);
    void reply.header('ETag', `"${view.revision}"`).header('Cache-Control', 'no-store');
    return view;
  }

  @Post(':referralId/triage')
  @HttpCode(200)
  @Roles('hub')
  @commandHeaders()
  @ApiOperation({ summary: 'Triage: support at home (package), bed (bed request), signposted or declined, with a coded reason' })
  triage(@Param('referralId', ParseUUIDPipe) referralId: string, @Body() dto: TriageDto, @Ctx() context: Context) {
    return this.run(referralId, 'TriageCommunityReferral', dto, context);
  }

  @Post(':referralId/first-response')
  @HttpCode(200)
  @Roles('hub')
  @commandHeaders()
  @ApiOperation({ summary: 'The first face-to-face response (measured against the urgent response service level)' })
  firstResponse(@Param('referralId', ParseUUIDPipe) referralId: string, @Body() dto: FirstResponseDto, @Ctx() context: Context) {
    return this.run(referralId, 'RecordFirstResponse', dto, context);
  }

  @Post(':referralId/start')
  @HttpCode(200)
  @Roles('hub')
  @commandHeaders()
  start(@Param('referralId', ParseUUIDPipe) referralId: string, @Body() dto: StartCareDto, @Ctx() context: Context) {
    return this.run(referralId, 'StartCare', dto, context);
  }

  @Post(':referralId/end')
  @HttpCode(200)
  @Roles('hub')
  @commandHeaders()
  @ApiOperation({ summary: 'End of care with its outcome (e.g. admission avoided, admitted to hospital)' })
  end(@Param('referralId', ParseUUIDPipe) referralId: string, @Body() dto: EndCareDto, @Ctx() context: Context) {
    return this.run(referralId, 'EndCare', dto, context);
  }

  @Post(':referralId/withdraw')
  @HttpCode(200)
  @Roles('hub')
  @commandHeaders()
  @ApiOperation({ summary: 'Withdraw before care starts: the bed or package request is closed or cancelled' })
  withdraw(@Param('referralId', ParseUUIDPipe) referralId: string, @Body() dto: WithdrawReferralDto, @Ctx() context: Context) {
    return this.run(referralId, 'WithdrawCommunityReferral', dto, context);
  }

  private view(): CommunityReferralMeasuresView {
    return this.projections.get<CommunityReferralMeasuresView>(COMMUNITY_REFERRAL_MEASURES).current().view;
  }

  private async run(referralId: string, type: Parameters<CommunityReferralsService['act']>[1], dto: object, context: Context) {
    const outcome = await this.referrals.act(referralId, type, dto as never, context);
    return { referralId, ...this.gateway.respond(context.reply, outcome) };
  }
}
