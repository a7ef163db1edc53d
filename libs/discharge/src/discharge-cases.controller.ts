import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { deterministicUuid, type Actor, type CommandOutcome } from '@app/event-sourcing';
import {
  AccessAudit,
  CommandContext as Ctx,
  CommandGateway,
  CurrentActor,
  IdempotencyKey,
  Roles,
  type CommandRequestContext,
} from '@app/platform';
import { ProjectionRegistry } from '@app/projections/projections.module';
import type { CaseListView } from './case-list.projection';
import { DischargeCaseService, publicFacts } from './discharge-case.service';
import {
  AssignPathwayDto,
  CaseListQueryDto,
  CloseDelayDto,
  CriteriaToResideMetAgainDto,
  CriteriaToResideNotMetDto,
  OpenDelayDto,
  RecordDischargeDto,
  RecordFollowUpDto,
  ReturnReferralDto,
  SubmitReferralDto,
  WithdrawCaseDto,
} from './discharge.dtos';

const COMMAND_HEADERS = [
  {
    name: 'Idempotency-Key',
    required: false,
    description: 'Makes a retry safe: the first response is returned and nothing is written twice',
  },
  { name: 'If-Match', required: false, description: 'The revision (ETag) you last saw; a stale one is 409' },
];
const commandHeaders = () => (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
  for (const header of COMMAND_HEADERS) ApiHeader(header)(target, key!, descriptor!);
};

/** HTTP → command, and nothing else: validation by DTO, rules in the decider, identity in the service. */
@ApiTags('discharge cases')
@ApiBearerAuth()
@Controller('api/discharge-cases')
export class DischargeCasesController {
  constructor(
    private readonly cases: DischargeCaseService,
    private readonly gateway: CommandGateway,
    private readonly projections: ProjectionRegistry,
    private readonly audit: AccessAudit,
  ) {}

  @Post()
  @Roles('ward', 'hub')
  @commandHeaders()
  @ApiOperation({ summary: 'Refer a person for supported discharge (one open case per person)' })
  async submit(
    @Body() dto: SubmitReferralDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const outcome = await this.cases.submit(dto, { actor, request, idempotencyKey });
    const caseId = caseIdOf(outcome);
    void reply.status(201).header('Location', `/api/discharge-cases/${caseId}`);
    // The hub sees when the person also has an open community referral; a ward's response is unchanged.
    const alsoOpen = actor.role === 'hub' ? { alsoOpen: await this.cases.alsoOpenForCase(caseId) } : {};
    return { caseId, ...alsoOpen, ...this.gateway.respond(reply, outcome) };
  }

  @Get()
  @Roles('ward', 'hub')
  @ApiOperation({ summary: 'Cases, newest change first; a ward sees its own trust’s only' })
  async list(@Query() query: CaseListQueryDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest) {
    const { view } = this.projections.get<CaseListView>('discharge-case-list').current();
    const rows = Object.values(view.cases)
      .filter(({ state }) => state.status !== 'none')
      .filter(({ state }) => actor.role !== 'ward' || ('hospital' in state && state.hospital === actor.organisation))
      .filter(({ state }) => !query.status || state.status === query.status)
      .filter(({ state }) => !query.hospital || ('hospital' in state && state.hospital === query.hospital))
      .filter(({ state }) => !query.pathway || ('plan' in state && String(state.plan?.pathway) === query.pathway))
      .sort((a, b) => b.lastChangedAt.localeCompare(a.lastChangedAt))
      .slice(0, 500);
    const shown: Array<{ patientId: string; caseId: string }> = [];
    const answer = await Promise.all(
      rows.map(async ({ state, revision, lastChangedAt, followUpDue }) => {
        if (state.status === 'none') throw new Error('filtered above');
        const identity = await this.cases.identityOf(state.patientId);
        if (identity) shown.push({ patientId: state.patientId, caseId: state.caseId });
        return {
          caseId: state.caseId,
          revision,
          status: state.status,
          lastChangedAt,
          followUpDue,
          person: identity && { nhsNumber: identity.nhsNumber ?? null, name: `${identity.givenName} ${identity.familyName}` },
          facts: publicFacts(state),
        };
      }),
    );
    // One access-audit row per person whose identity this list shows (DESIGN §4).
    this.audit.read(
      actor,
      request,
      shown.map(({ patientId, caseId }) => ({
        patientId,
        resource: 'discharge-case-list',
        resourceId: caseId,
        what: 'identity (list row)',
      })),
    );
    return answer;
  }

  @Get(':caseId')
  @Roles('ward', 'hub')
  @ApiOperation({ summary: 'A case with its identity and full history' })
  async read(
    @Param('caseId', ParseUUIDPipe) caseId: string,
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const view = await this.cases.read(caseId, actor);
    this.audit.read(actor, request, [
      {
        patientId: view.patientId,
        resource: 'discharge-case',
        resourceId: caseId,
        what: view.identity ? 'identity+history' : 'history (identity erased)',
      },
    ]);
    void reply.header('ETag', `"${view.revision}"`).header('Cache-Control', 'no-store');
    return view;
  }

  @Post(':caseId/accept')
  @HttpCode(200)
  @Roles('hub')
  @commandHeaders()
  accept(@Param('caseId', ParseUUIDPipe) caseId: string, @Ctx() context: Context) {
    return this.run(caseId, 'AcceptReferral', {}, context);
  }

  @Post(':caseId/return')
  @HttpCode(200)
  @Roles('hub')
  @commandHeaders()
  return(@Param('caseId', ParseUUIDPipe) caseId: string, @Body() dto: ReturnReferralDto, @Ctx() context: Context) {
    return this.run(caseId, 'ReturnReferral', dto, context);
  }

  @Post(':caseId/criteria-to-reside/not-met')
  @HttpCode(200)
  @Roles('ward', 'hub')
  @commandHeaders()
  @ApiOperation({ summary: 'No longer meets the criteria to reside from a date: that date is the discharge ready date' })
  notMet(@Param('caseId', ParseUUIDPipe) caseId: string, @Body() dto: CriteriaToResideNotMetDto, @Ctx() context: Context) {
    return this.run(caseId, 'RecordCriteriaToResideNotMet', dto, context);
  }

  @Post(':caseId/criteria-to-reside/met-again')
  @HttpCode(200)
  @Roles('ward', 'hub')
  @commandHeaders()
  metAgain(@Param('caseId', ParseUUIDPipe) caseId: string, @Body() dto: CriteriaToResideMetAgainDto, @Ctx() context: Context) {
    return this.run(caseId, 'RecordCriteriaToResideMetAgain', dto, context);
  }

  @Post(':caseId/pathway')
  @HttpCode(200)
  @Roles('ward', 'hub')
  @commandHeaders()
  @ApiOperation({ summary: 'Assign or change the pathway (a ward may record pathway 0 only)' })
  pathway(@Param('caseId', ParseUUIDPipe) caseId: string, @Body() dto: AssignPathwayDto, @Ctx() context: Context) {
    return this.run(caseId, 'AssignPathway', dto, context);
  }

  @Post(':caseId/delays')
  @HttpCode(200)
  @Roles('ward', 'hub')
  @commandHeaders()
  openDelay(@Param('caseId', ParseUUIDPipe) caseId: string, @Body() dto: OpenDelayDto, @Ctx() context: Context) {
    const metadataId = context.idempotencyKey ?? context.request.id;
    const delayId = dto.delayId ?? deterministicUuid(`delay:${caseId}:${metadataId}`);
    return this.run(
      caseId,
      'OpenDelay',
      { ...dto, delayId, reasonVersion: dto.reasonVersion ?? this.currentDelayListVersion() },
      context,
    );
  }

  @Post(':caseId/delays/:delayId/close')
  @HttpCode(200)
  @Roles('ward', 'hub')
  @commandHeaders()
  closeDelay(
    @Param('caseId', ParseUUIDPipe) caseId: string,
    @Param('delayId', ParseUUIDPipe) delayId: string,
    @Body() dto: CloseDelayDto,
    @Ctx() context: Context,
  ) {
    return this.run(caseId, 'CloseDelay', { ...dto, delayId }, context);
  }

  @Post(':caseId/delays/:delayId/primary')
  @HttpCode(200)
  @Roles('ward', 'hub')
  @commandHeaders()
  makePrimary(
    @Param('caseId', ParseUUIDPipe) caseId: string,
    @Param('delayId', ParseUUIDPipe) delayId: string,
    @Ctx() context: Context,
  ) {
    return this.run(caseId, 'MakeDelayPrimary', { delayId }, context);
  }

  @Post(':caseId/discharge')
  @HttpCode(200)
  @Roles('ward', 'hub')
  @commandHeaders()
  discharge(@Param('caseId', ParseUUIDPipe) caseId: string, @Body() dto: RecordDischargeDto, @Ctx() context: Context) {
    return this.run(caseId, 'RecordDischarge', dto, context);
  }

  @Post(':caseId/withdraw')
  @HttpCode(200)
  @Roles('ward', 'hub')
  @commandHeaders()
  withdraw(@Param('caseId', ParseUUIDPipe) caseId: string, @Body() dto: WithdrawCaseDto, @Ctx() context: Context) {
    return this.run(caseId, 'WithdrawCase', dto, context);
  }

  @Post(':caseId/follow-up')
  @HttpCode(200)
  @Roles('hub')
  @commandHeaders()
  @ApiOperation({ summary: 'Record the 91-day follow-up result (ASCOF 2B(1))' })
  followUp(@Param('caseId', ParseUUIDPipe) caseId: string, @Body() dto: RecordFollowUpDto, @Ctx() context: Context) {
    return this.run(caseId, 'RecordNinetyOneDayFollowUp', dto, context);
  }

  @Post(':caseId/erase-identity')
  @HttpCode(200)
  @Roles('hub', 'admin')
  @commandHeaders()
  @ApiOperation({ summary: 'Destroy the person’s key (crypto-shredding); the case’s coded facts stay and still count' })
  async erase(@Param('caseId', ParseUUIDPipe) caseId: string, @Ctx() context: Context) {
    return this.gateway.respond(context.reply, await this.cases.eraseIdentity(caseId, context));
  }

  private async run(caseId: string, type: Parameters<DischargeCaseService['act']>[1], dto: object, context: Context) {
    const outcome = await this.cases.act(caseId, type, dto as never, context);
    return { caseId, ...this.gateway.respond(context.reply, outcome) };
  }

  private currentDelayListVersion(): string {
    return this.cases.currentDelayListVersion();
  }
}

type Context = CommandRequestContext;

const caseIdOf = (outcome: CommandOutcome<unknown>) => outcome.streamId.slice('dischargeCase-'.length);
