export * from './envelope';
export * from './errors';
export * from './event-store';
export * from './upcasting';
export * from './checkpoints';
export * from './validation';
export * from './sqlite/sqlite-event-store';
