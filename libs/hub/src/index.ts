export * from './projections/pathway-shares';
export * from './hub.module';
