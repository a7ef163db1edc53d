// TEST DOUBLE of the EventStoreDB gRPC server, for tests only. It is not EventStoreDB: see README.md.
export * from './esdb-test-server';
