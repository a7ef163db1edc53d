import type { CommandDispatcher } from '@app/event-sourcing';
import type { ProcessManager } from '@app/messaging';
import type { DeadlineRule } from './deadlines/deadline';

/**
 * What a bounded context contributes to a deployment, as plain data: its event categories (which the
 * relay publishes to `<context>.events.v1`), its process managers and deadline rules, and the routes of
 * its commands. Its Nest module adds the HTTP layer.
 */
export interface ContextDefinition {
  context: string;
  categories: readonly string[];
  processManagers?: readonly ProcessManager[];
  deadlineRules?: readonly DeadlineRule[];
  registerCommands?(dispatcher: CommandDispatcher): void;
}
