export * from './projection';
export * from './live-projection';
export * from './sqlite-snapshot-store';
