export * from './bus';
export * from './in-process-bus';
export * from './kafka-bus';
export * from './relay';
export * from './process-manager';
