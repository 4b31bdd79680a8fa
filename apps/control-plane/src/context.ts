import type { FleetDb, Principal } from '@kurento-fleet/db';
import type { Logger } from './logger';

/** What createApp needs from the runtime that serves it (Node + better-sqlite3, or a Worker + D1). */
export interface AppDeps {
  db: FleetDb;
  /** An admin token given by configuration (FLEET_ADMIN_TOKEN), accepted besides stored tokens. */
  adminToken?: string | undefined;
  heartbeatIntervalMs: number;
  log: Logger;
}

/** The Hono context's types, declared once: services live on the context, never in module singletons. */
export interface AppEnv {
  Variables: {
    db: FleetDb;
    log: Logger;
    requestId: string;
    principal: Principal;
  };
}
