export * from './types';
export * from './reference-data';
export * from './validate-reference-data';
export * from './load-reference-data';
