import { join } from 'node:path';
import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import type { Actor } from '@app/event-sourcing';
import { CLOCK, type Clock } from '../clock';
import type { Environment } from '../config/environment';
import { AccessAuditStore, type AccessRead } from './access-audit.store';

export const ACCESS_AUDIT_STORE = Symbol('ACCESS_AUDIT_STORE');

/**
 * What controllers call after reading a person's record and before answering: one audit row per person
 * shown. If the row cannot be written the read fails, so no identity leaves unaudited.
 */
@Injectable()
export class AccessAudit implements OnApplicationShutdown {
  constructor(@Inject(ACCESS_AUDIT_STORE) readonly store: AccessAuditStore) {}

  read(actor: Actor, request: { id?: unknown }, reads: ReadonlyArray<Omit<AccessRead, 'requestId'>>) {
    const requestId = String(request.id ?? 'unknown');
    this.store.record(
      actor,
      reads.map((read) => ({ ...read, requestId })),
    );
  }

  onApplicationShutdown() {
    this.store.close();
  }
}

export const accessAuditProviders = (env: Pick<Environment, 'DATA_DIR' | 'SQLITE_SYNCHRONOUS'>): Provider[] => [
  {
    provide: ACCESS_AUDIT_STORE,
    inject: [CLOCK],
    useFactory: (clock: Clock) =>
      AccessAuditStore.open(join(env.DATA_DIR, 'audit.sqlite'), { synchronous: env.SQLITE_SYNCHRONOUS, now: () => clock.now() }),
  },
  AccessAudit,
];
