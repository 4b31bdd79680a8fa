import type { Json, JsonObject } from '@kurento-fleet/kurento-protocol';
import type { MediaEngine } from '../endpoints/engine';
import type { OperationTable, ServerContext } from '../objects/invoke';
import type { MediaSet } from '../objects/media-set';

/** What the server methods work on: one KMS process's state and settings. */
export interface RpcContext {
  /** One UUID per server process (connect's `serverId`). */
  readonly serverId: string;
  readonly set: MediaSet;
  readonly server: ServerContext;
  readonly engine: MediaEngine;
  readonly handlers: OperationTable;
  readonly defaults: Readonly<Record<string, Json>>;
  /** Live objects above which create fails with NOT_ENOUGH_RESOURCES (KMS: 80% of thread/fd limits). */
  objectLimit(): number | undefined;
  /** A fresh lowercase UUID for a request that names no session. */
  newSessionId(): string;
}

/** A registered method: params are null or an object; the result is what goes into `result`. */
export type RpcMethod = (params: JsonObject | null, context: RpcContext) => Json | Promise<Json>;
