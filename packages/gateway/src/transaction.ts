import { isJsonObject, type JsonObject, type RpcResponse } from '@kurento-fleet/kurento-protocol';
import { transactionSpansPipelines } from './errors';
import type { RouteTable } from './routes';
import { namedIds, type Target } from './targets';
import { pipelineOf, type Reply, SERVER_MANAGER } from './wire';

/** Where a transaction goes, and which of its operations create pipelines (to be registered with the fleet). */
export interface TransactionPlan {
  target: Target | { kind: 'placement' };
  /** Indexes of its `create MediaPipeline` operations. */
  creates: number[];
}

/**
 * A transaction runs whole on one KMS, so all its operations must be about one pipeline: the one its ids name
 * (`newref:K` ids name objects the transaction itself creates, on that same KMS). One that names none but
 * creates a pipeline is placed like a `create MediaPipeline`. Malformed operations are left for the KMS to
 * refuse, with its own error.
 */
export async function planTransaction(params: JsonObject, routes: RouteTable): Promise<TransactionPlan> {
  const operations = params.operations;
  const creates: number[] = [];
  if (!Array.isArray(operations)) return { target: { kind: 'anywhere' }, creates };
  const pipelines = new Map<string, string>();
  operations.forEach((operation, index) => {
    if (!isJsonObject(operation) || typeof operation.method !== 'string') return;
    const opParams = operation.params;
    if (!isJsonObject(opParams)) return;
    if (operation.method === 'create' && opParams.type === 'MediaPipeline') creates.push(index);
    for (const id of namedIds(operation.method, opParams)) {
      if (id === SERVER_MANAGER) continue;
      const pipelineId = pipelineOf(id);
      if (!pipelines.has(pipelineId)) pipelines.set(pipelineId, id);
    }
  });
  const [first, second] = [...pipelines.keys()];
  if (second !== undefined && first !== undefined) {
    return { target: { kind: 'refused', error: transactionSpansPipelines(first, second) }, creates };
  }
  if (first === undefined) {
    return { target: creates.length > 0 ? { kind: 'placement' } : { kind: 'anywhere' }, creates };
  }
  const nodeId = await routes.resolve(first);
  const objectId = pipelines.get(first) as string;
  return {
    target:
      nodeId === undefined ? { kind: 'unknown', objectId } : { kind: 'node', nodeId, pipelineId: first },
    creates,
  };
}

/** The pipelines a transaction's answer shows created, by the indexes of its `create MediaPipeline` operations. */
export function pipelinesCreatedBy(reply: Reply, creates: readonly number[]): string[] {
  const results = reply.result?.value;
  if (!Array.isArray(results)) return [];
  const created: string[] = [];
  for (const index of creates) {
    const entry = results[index] as RpcResponse | undefined;
    const value = isJsonObject(entry?.result) ? entry.result.value : undefined;
    if (typeof value === 'string') created.push(value);
  }
  return created;
}
