/** The fleet's data access, independent of the SQLite driver (see ./node for better-sqlite3). */
export * from './busy';
export * from './client';
export * from './errors';
export * from './events';
export * from './failures';
export * from './fleet-db';
export * from './health';
export * from './heartbeats';
export * from './nodes';
export * from './observation';
export * from './placements';
export * from './preview';
export * from './secrets';
export * from './sessions';
export * from './storage-errors';
export * from './tokens';
export * from './views';
