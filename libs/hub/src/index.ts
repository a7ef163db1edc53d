export * from './projections/pathway-shares';
export * from './projections/discharge-kpis';
export * from './kpis/definitions';
export * from './kpis/for-leader';
export * from './kpis/sitrep';
export * from './hub.module';
