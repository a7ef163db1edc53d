import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Injectable,
  Logger,
  Module,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { CommandDispatcher, type Actor, type CheckpointStore, type EventStore } from '@app/event-sourcing';
import {
  InProcessBus,
  ParkingLot,
  ProcessManagerRunner,
  registerParkingLot,
  Relay,
  topicFor,
  type MessageBus,
} from '@app/messaging';
import { CurrentActor, Roles } from '../auth/decorators';
import type { Environment } from '../config/environment';
import type { ContextDefinition } from '../context';
import { CommandGateway } from '../http/command-gateway';
import { CHECKPOINTS, EVENT_STORE } from '../store/event-store.module';

export const MESSAGE_BUS = Symbol('MESSAGE_BUS');
export const CONTEXTS = Symbol('CONTEXTS');

/** Every topic a deployment publishes to or its process managers read, so it can start before its peers. */
const topicsOf = (contexts: readonly ContextDefinition[]): string[] => [
  ...new Set(contexts.flatMap((c) => [topicFor(c.context), ...(c.processManagers ?? []).flatMap((pm) => pm.topics)])),
];

export function createBus(
  env: Pick<Environment, 'BUS' | 'KAFKA_BROKERS' | 'KAFKA_PARTITIONS'>,
  contexts: readonly ContextDefinition[],
): MessageBus {
  if (env.BUS === 'kafka') {
    // Loaded only when asked for: the embedded default never pulls in kafkajs.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { KafkaBus } = require('@app/messaging/kafka-bus') as { KafkaBus: new (options: object) => MessageBus };
    return new KafkaBus({
      brokers: env.KAFKA_BROKERS!.split(',').map((b) => b.trim()),
      clientId: 'toc-hub',
      topics: topicsOf(contexts).map((topic) => ({ topic })),
      defaultPartitions: env.KAFKA_PARTITIONS,
    });
  }
  return new InProcessBus();
}

/** Starts a relay per context and the process managers once the app is up; stops them in order. */
@Injectable()
export class MessagingLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Messaging');
  private readonly relays: Relay[] = [];
  private runner: ProcessManagerRunner | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(CONTEXTS) private readonly contexts: readonly ContextDefinition[],
    @Inject(CHECKPOINTS) private readonly checkpoints: CheckpointStore,
    private readonly dispatcher: CommandDispatcher,
  ) {}

  async onApplicationBootstrap() {
    const inProcess = this.bus instanceof InProcessBus ? this.bus : undefined;
    for (const definition of this.contexts) {
      if (definition.categories.length === 0) continue;
      const relay = new Relay({
        name: `relay.${definition.context}`,
        context: definition.context,
        categories: definition.categories,
        store: this.store,
        checkpoints: this.checkpoints,
        bus: this.bus,
        // The in-process bus forgets on restart: move the checkpoint only once consumers have handled the batch.
        beforeCheckpoint: inProcess ? () => inProcess.idle() : undefined,
        onError: (error) => this.logger.warn(`Relay ${definition.context}: ${error instanceof Error ? error.message : 'error'}`),
      });
      await relay.start();
      this.relays.push(relay);
    }
    this.runner = new ProcessManagerRunner({
      bus: this.bus,
      store: this.store,
      dispatcher: this.dispatcher,
      onError: (pm, error) =>
        this.logger.error(`Process manager ${pm} stopped: ${error instanceof Error ? error.message : 'error'}`),
    });
    await this.runner.start(this.contexts.flatMap((c) => c.processManagers ?? []));
  }

  /** Relays flush what they read before the bus closes. */
  async onApplicationShutdown() {
    await Promise.all(this.relays.map((r) => r.stop()));
    await this.runner?.stop();
    await this.bus.close();
  }

  /** Resolves once everything committed so far has been published and handled (tests, graceful stop). */
  async drained(): Promise<void> {
    await Promise.all(this.relays.map((r) => r.drained()));
    if (this.bus instanceof InProcessBus) await this.bus.idle();
  }
}

class DismissParkedMessageDto {
  @ApiProperty({ description: 'Why it is dismissed (no personal data)', example: 'Handled by phone with the provider' })
  @IsString()
  @Length(3, 500)
  note!: string;
}

@ApiTags('parked messages')
@Controller('api/hub/parked-messages')
@Roles('hub', 'admin')
export class ParkedMessagesController {
  constructor(
    private readonly lot: ParkingLot,
    private readonly gateway: CommandGateway,
    private readonly dispatcher: CommandDispatcher,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Commands a process manager could not apply, with the reason' })
  list() {
    return this.lot.list();
  }

  @Post(':parkedId/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Try the parked command again, after fixing its cause' })
  async retry(@Param('parkedId', ParseUUIDPipe) parkedId: string, @CurrentActor() actor: Actor, @Req() request: FastifyRequest) {
    if (!(await this.lot.get(parkedId))) throw new NotFoundException({ code: 'NOT_FOUND', message: 'No such parked message' });
    const outcome = await this.lot.retry(parkedId, this.gateway.metadata({ actor, request }));
    return { parkedId, outcome };
  }

  @Post(':parkedId/dismiss')
  @HttpCode(200)
  async dismiss(
    @Param('parkedId', ParseUUIDPipe) parkedId: string,
    @Body() dto: DismissParkedMessageDto,
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
  ) {
    await this.dispatcher.dispatch({
      type: 'DismissParkedMessage',
      data: { parkedId, note: dto.note },
      metadata: this.gateway.metadata({ actor, request }),
    });
    return { parkedId, outcome: 'dismissed' };
  }
}

@Module({})
export class MessagingModule {
  static forRoot(
    env: Environment,
    contexts: readonly ContextDefinition[],
    known: readonly ContextDefinition[] = contexts,
  ): DynamicModule {
    return {
      module: MessagingModule,
      controllers: [ParkedMessagesController],
      providers: [
        { provide: CONTEXTS, useValue: contexts },
        { provide: MESSAGE_BUS, useFactory: () => createBus(env, known) },
        {
          provide: ParkingLot,
          inject: [EVENT_STORE, CommandDispatcher],
          useFactory: (store: EventStore, dispatcher: CommandDispatcher) => {
            registerParkingLot(dispatcher);
            return new ParkingLot(store, dispatcher);
          },
        },
        MessagingLifecycle,
      ],
      exports: [MESSAGE_BUS, MessagingLifecycle, ParkingLot],
    };
  }
}
