// The example context's Nest layer: DTO → command bus → runner → store, plus its deadline rule.
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Module,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { IsInt, IsUUID, Matches, Max, Min } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CommandRunner, type Actor, type RunOptions } from '@app/event-sourcing';
import { CommandGateway, CurrentActor, IdempotencyKey, IfMatch, Roles, ScopedBy, type DeadlineRule } from '@app/platform';
import { bedHold, type BedHoldCommand } from './bed-hold';

const streamOf = (holdId: string) => `bedHold-${holdId}`;

class PlaceBedHoldDto {
  @IsUUID()
  holdId!: string;
  @Matches(/^[A-Z0-9-]{2,20}$/, { message: 'bedCode must be 2–20 capital letters, digits or dashes' })
  bedCode!: string;
  @IsInt()
  @Min(1)
  @Max(1440)
  minutes!: number;
}

export class Dispatch {
  constructor(
    readonly command: BedHoldCommand,
    readonly options: RunOptions = {},
  ) {}
}

@CommandHandler(Dispatch)
export class BedHoldHandler implements ICommandHandler<Dispatch> {
  constructor(@Inject(CommandRunner) private readonly runner: CommandRunner) {}
  execute({ command, options }: Dispatch) {
    return this.runner.run(bedHold, streamOf(command.data.holdId), command, options);
  }
}

@ApiTags('example')
@Controller('api/example/holds')
export class BedHoldController {
  constructor(
    private readonly bus: CommandBus,
    private readonly gateway: CommandGateway,
    @Inject(CommandRunner) private readonly runner: CommandRunner,
  ) {}

  @Post()
  @Roles('hub')
  async place(
    @Body() dto: PlaceBedHoldDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const context = { actor, request, idempotencyKey };
    const command: BedHoldCommand = { type: 'PlaceBedHold', data: dto, metadata: this.gateway.metadata(context) };
    void reply.status(201);
    return this.gateway.respond(reply, await this.bus.execute(new Dispatch(command, this.gateway.options(context))));
  }

  @Post(':holdId/release')
  @HttpCode(200)
  @Roles('hub')
  async release(
    @Param('holdId', ParseUUIDPipe) holdId: string,
    @CurrentActor() actor: Actor,
    @IfMatch() ifMatch: number | undefined,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const context = { actor, request, ifMatch, idempotencyKey };
    const command: BedHoldCommand = { type: 'ReleaseBedHold', data: { holdId }, metadata: this.gateway.metadata(context) };
    return this.gateway.respond(reply, await this.bus.execute(new Dispatch(command, this.gateway.options(context))));
  }

  @Get(':holdId')
  @Roles('hub', 'ward')
  async get(@Param('holdId', ParseUUIDPipe) holdId: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const { state, revision } = await this.runner.load(bedHold, streamOf(holdId));
    if (revision === undefined) throw new NotFoundException({ code: 'NOT_FOUND', message: 'No such hold' });
    void reply.header('ETag', `"${revision}"`);
    return { ...state, revision };
  }
}

/** A route that names its scope, for the scope guard's tests. */
@ApiTags('example')
@Controller('api/example/hospitals')
export class HospitalNoticeController {
  @Get(':hospital/notice')
  @Roles('hub', 'ward')
  @ScopedBy({ role: 'ward', field: 'hospital' })
  notice(@Param('hospital') hospital: string) {
    return { hospital, notice: 'Escalation call at 10:00' };
  }
}

/** BedHoldPlaced schedules its expiry; release or expiry settles it. */
export const bedHoldExpiry: DeadlineRule<Dispatch> = {
  name: 'bed-hold-expiry',
  categories: ['bedHold'],
  effect: (event) => {
    const data = event.data as { holdId: string; expiresAt?: string };
    const deadlineId = `bed-hold-expiry:${data.holdId}`;
    if (event.type === 'BedHoldPlaced') {
      const command = (firedAt: string): BedHoldCommand => ({
        type: 'ExpireBedHold',
        data: { holdId: data.holdId, expiresAt: data.expiresAt! },
        metadata: {
          commandId: `${event.id}:expiry`,
          correlationId: event.metadata.correlationId,
          causationId: event.id,
          actor: { userId: 'deadline-scheduler', role: 'system', organisation: 'TOCH' },
          now: firedAt,
        },
      });
      return {
        kind: 'schedule',
        deadlineId,
        dueAt: data.expiresAt!,
        command: (firedAt) => new Dispatch(command(firedAt), { retries: 3 }),
      };
    }
    if (event.type === 'BedHoldReleased' || event.type === 'BedHoldExpired') return { kind: 'settle', deadlineId };
    return undefined;
  },
};

@Module({ controllers: [BedHoldController, HospitalNoticeController], providers: [BedHoldHandler] })
export class BedHoldModule {}
