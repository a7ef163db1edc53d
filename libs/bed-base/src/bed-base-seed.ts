import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CommandDispatcher, DomainRefusal, type Actor, type EventStore } from '@app/event-sourcing';
import { CLOCK, EVENT_STORE, type Clock } from '@app/platform';
import { seedCommands } from './somerset-bed-base';

export const SEED_ACTOR: Actor = { userId: 'bed-base-seed', role: 'admin', organisation: 'TOCH' };
const SEED_COMMAND_ID = 'bed-base-seed:somerset:v1';

/**
 * Loads the illustrative Somerset-shaped bed base on a store that has no sites yet. Command ids are
 * fixed, so a second load writes the same event ids, and a site or bed already there is skipped; once any
 * site exists the configuration is the admins', and the seed stays away.
 */
@Injectable()
export class BedBaseSeed implements OnApplicationBootstrap {
  private readonly logger = new Logger(BedBaseSeed.name);

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly dispatcher: CommandDispatcher,
  ) {}

  async onApplicationBootstrap() {
    const sites = await this.store.readAll({ categories: ['site'], maxCount: 1 });
    if (sites.length > 0) return;
    const commands = seedCommands({
      commandId: SEED_COMMAND_ID,
      correlationId: SEED_COMMAND_ID,
      actor: SEED_ACTOR,
      now: this.clock.now().toISOString(),
    });
    // Sites first, so a crash part-way never leaves a bed without its site. (It leaves sites short of beds,
    // which the next start does not fill in: an admin commissions them.)
    const [registrations, commissions] = [
      commands.filter((c) => c.type === 'RegisterSite'),
      commands.filter((c) => c.type === 'CommissionBed'),
    ];
    for (const batch of [registrations, commissions]) {
      await Promise.all(batch.map((command) => this.dispatcher.dispatch(command, { retries: 3 }).catch(skipExisting)));
    }
    this.logger.log(`Loaded the illustrative bed base: ${registrations.length} sites, ${commissions.length} beds`);
  }
}

const skipExisting = (error: unknown) => {
  if (error instanceof DomainRefusal && (error.code === 'SITE_EXISTS' || error.code === 'BED_EXISTS')) return;
  throw error;
};
