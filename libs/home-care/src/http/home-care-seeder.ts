import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CommandDispatcher, DomainRefusal, type Actor, type EventStore } from '@app/event-sourcing';
import { CLOCK, EVENT_STORE, type Clock } from '@app/platform';
import { seedCommands } from '../illustrative-providers';

const SEED_ACTOR: Actor = { userId: 'home-care-seed', role: 'system', organisation: 'TOCH' };

/**
 * Registers the illustrative providers on first start, when the store holds no provider yet. The command
 * ids are fixed, so two instances starting together (or a restart halfway) write each provider once.
 */
@Injectable()
export class HomeCareSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('HomeCare');

  constructor(
    private readonly dispatcher: CommandDispatcher,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap() {
    const existing = await this.store.readAll({ categories: ['provider'], maxCount: 1 });
    if (existing.length > 0) return;
    const now = this.clock.now().toISOString();
    const commands = seedCommands({ commandId: 'home-care-seed', correlationId: 'home-care-seed', actor: SEED_ACTOR, now });
    for (const command of commands) {
      try {
        await this.dispatcher.dispatch(command);
      } catch (error) {
        if (!(error instanceof DomainRefusal && error.code === 'PROVIDER_EXISTS')) throw error;
      }
    }
    this.logger.log(`Registered ${commands.length} illustrative home-care providers`);
  }
}
