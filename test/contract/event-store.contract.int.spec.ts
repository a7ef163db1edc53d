import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@app/event-sourcing';
import { describeEventStoreContract } from '@app/event-sourcing/testing/event-store-contract';

// One contract, every adapter. Real EventStoreDB joins when EVENTSTORE_CONNECTION_STRING is set.
describeEventStoreContract('sqlite (file, group commit)', async ({ upcasters }) => {
  const dir = mkdtempSync(join(tmpdir(), 'toc-contract-'));
  const store = new SqliteEventStore({ filename: join(dir, 'hub.sqlite'), upcasters });
  return { store, dispose: async () => (await store.close(), rmSync(dir, { recursive: true, force: true })) };
});

describeEventStoreContract('sqlite (file, one transaction per append)', async ({ upcasters }) => {
  const dir = mkdtempSync(join(tmpdir(), 'toc-contract-'));
  const store = new SqliteEventStore({ filename: join(dir, 'hub.sqlite'), upcasters, groupCommit: false });
  return { store, dispose: async () => (await store.close(), rmSync(dir, { recursive: true, force: true })) };
});
