export * from './nodes';
export * from './sessions';
export * from './tokens';
