import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStoreDbEventStore, SqliteEventStore } from '@app/event-sourcing';
import { describeEventStoreContract } from '@app/event-sourcing/testing/event-store-contract';
import { startEsdbTestServer } from '../support/esdb-test-server';

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

// The real client, over gRPC, against an in-memory TEST DOUBLE of the server (not EventStoreDB itself).
describeEventStoreContract('eventstoredb client against the wire-level test double', async ({ upcasters }) => {
  const server = await startEsdbTestServer();
  const store = new EventStoreDbEventStore(server.connectionString, { upcasters });
  return { store, dispose: async () => (await store.close(), await server.stop()) };
});

const realServer = process.env.EVENTSTORE_CONNECTION_STRING;
if (realServer) {
  describeEventStoreContract('eventstoredb (real server)', async ({ upcasters }) => {
    const store = new EventStoreDbEventStore(realServer, { upcasters });
    return { store, dispose: () => store.close() };
  });
}
