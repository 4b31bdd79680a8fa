export * from './node-events';
export * from './nodes';
export * from './sessions';
export * from './tokens';
