export * from './node-events';
export * from './nodes';
export * from './observer';
export * from './placements';
export * from './sessions';
export * from './tokens';
