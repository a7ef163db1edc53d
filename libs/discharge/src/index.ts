export * from './discharge-case';
export * from './discharge-rules';
export * from './activity-feed';
export * from './patient-record';
export * from './discharge.context';
export * from './case-list.projection';
export * from './person-records';
