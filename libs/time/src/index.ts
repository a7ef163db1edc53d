export * from './clock';
export * from './london-time';
