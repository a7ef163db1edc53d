import type { CommandOutcome, CommandRunner, RunOptions } from './command-runner';
import type { Command, Decider, DomainEvent } from './decider';

export interface CommandRoute<State = unknown, C extends Command = Command, E extends DomainEvent = DomainEvent> {
  decider: Decider<State, C, E>;
  /** The stream the command is decided on. */
  streamOf: (command: C) => string;
  /** See RunOptions.createOnly. */
  createOnly?: boolean;
}

export class UnknownCommand extends Error {
  override readonly name = 'UnknownCommand';
}

/**
 * Routes a command, as plain data, to its decider and stream. Plain data lets a process manager park a
 * refused command and a person retry it later.
 */
export class CommandDispatcher {
  private readonly routes = new Map<string, CommandRoute>();

  constructor(private readonly runner: CommandRunner) {}

  register<State, C extends Command, E extends DomainEvent>(
    types: ReadonlyArray<C['type']>,
    route: CommandRoute<State, C, E>,
  ): this {
    for (const type of types) {
      if (this.routes.has(type)) throw new Error(`Command ${type} is already routed`);
      this.routes.set(type, route as unknown as CommandRoute);
    }
    return this;
  }

  handles(type: string): boolean {
    return this.routes.has(type);
  }

  dispatch(command: Command, options: RunOptions = {}): Promise<CommandOutcome<unknown>> {
    const route = this.routes.get(command.type);
    if (!route) return Promise.reject(new UnknownCommand(`No context handles ${command.type}`));
    return this.runner.run(route.decider, route.streamOf(command), command, { createOnly: route.createOnly, ...options });
  }
}
