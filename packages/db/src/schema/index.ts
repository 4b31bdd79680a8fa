export * from './events';
export * from './nodes';
export * from './observer';
export * from './placements';
export * from './sessions';
export * from './tokens';
export * from './webhook-deliveries';
export * from './webhooks';
