export * from './discharge-case';
export * from './discharge-rules';
