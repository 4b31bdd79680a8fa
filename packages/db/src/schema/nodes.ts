import { sql } from 'drizzle-orm';
import { check, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { timestamps } from './columns';

/** One Kurento Media Server, its scheduling state and the last report of its agent. */
export const nodes = sqliteTable(
  'nodes',
  {
    id: text('id').primaryKey(),
    /** Order of addition: SWRR ties go to the node added first. */
    seq: integer('seq').notNull().unique(),
    uri: text('uri').notNull().unique(),
    weight: integer('weight').notNull().default(1),
    state: text('state', { enum: ['active', 'draining', 'disabled'] })
      .notNull()
      .default('active'),
    /** SWRR `current`; stays well inside 2^53 (docs/swrr.md). */
    current: integer('current').notNull().default(0),
    /** Marks the row a multi-statement batch chose, so later statements of the same batch can find it. */
    opNonce: text('op_nonce'),
    maxSessions: integer('max_sessions'),
    /** Live sessions on the node, kept exact by triggers on `sessions` (see drizzle/0001). */
    activeSessions: integer('active_sessions').notNull().default(0),
    region: text('region'),
    labels: text('labels').notNull().default('{}'),
    connected: integer('connected', { mode: 'boolean' }).notNull().default(false),
    lastHeartbeatAt: integer('last_heartbeat_at'),
    /** The health last written to the events, so that each transition is recorded once. */
    reportedHealth: text('reported_health', { enum: ['unknown', 'up', 'down'] })
      .notNull()
      .default('unknown'),
    /** Out of rotation until then (epoch ms), after a failure an application reported. */
    ejectedUntil: integer('ejected_until'),
    /** Ejections in a row, each within the memory window of the one before: the next one lasts 2^count longer. */
    ejectionCount: integer('ejection_count').notNull().default(0),
    lastEjectedAt: integer('last_ejected_at'),
    /** When the node last became up (first heartbeat, back after down, restarted KMS): where slow start begins. */
    upSince: integer('up_since'),
    /** The last report's CPU use in percent of all the node's cores (usedCpuPercent / cpuCount). */
    cpuLoad: real('cpu_load'),
    kms: text('kms'),
    agent: text('agent'),
    ...timestamps,
  },
  (t) => [
    check('nodes_state_check', sql`${t.state} in ('active', 'draining', 'disabled')`),
    check('nodes_weight_check', sql`${t.weight} >= 0`),
  ],
);
