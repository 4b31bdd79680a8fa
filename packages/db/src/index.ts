/** The fleet's data access, independent of the SQLite driver (see ./node for better-sqlite3). */
export * from './client';
export * from './errors';
export * from './events';
export * from './fleet-db';
export * from './heartbeats';
export * from './nodes';
export * from './placements';
export * from './secrets';
export * from './sessions';
export * from './storage-errors';
export * from './tokens';
export * from './views';
