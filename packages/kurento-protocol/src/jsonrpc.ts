import { invalidRequest, type RpcError, type RpcErrorBody } from './errors';
import { isJsonObject, type Json, type JsonObject } from './json';

/** A request id as echoed by the server. */
export type RpcId = number | string | null;

/** A request that passed the envelope checks. `id` is undefined for a notification. */
export interface RpcRequest {
  id: RpcId | undefined;
  method: string;
  params: Json | undefined;
}

/** A response as KMS sends it; exactly one of `result` and `error` is present. */
export interface RpcResponse {
  id: RpcId;
  jsonrpc: '2.0';
  result?: Json;
  error?: RpcErrorBody;
}

function isValidId(id: Json | undefined): boolean {
  return id === undefined || id === null || typeof id === 'string' || Number.isInteger(id);
}

/**
 * Checks the JSON-RPC envelope. Anything that is not one object with `jsonrpc: "2.0"`, a string method and a
 * usable id is -32600 (batches included: KMS has no batch support, §1).
 */
export function parseEnvelope(message: Json): RpcRequest {
  if (!isJsonObject(message)) throw invalidRequest();
  const { jsonrpc, method, id, params } = message as JsonObject & { id?: Json; params?: Json };
  if (jsonrpc !== '2.0' || typeof method !== 'string' || !isValidId(id)) throw invalidRequest();
  return { id: id as RpcId | undefined, method, params };
}

export function successResponse(id: RpcId, result: Json): RpcResponse {
  return { id, jsonrpc: '2.0', result };
}

export function errorResponse(id: RpcId, error: RpcError): RpcResponse {
  return { id, jsonrpc: '2.0', error: error.toBody() };
}

/** The onEvent notification, the only message the server sends unasked (§5). */
export function eventNotification(value: JsonObject): JsonObject {
  return { jsonrpc: '2.0', method: 'onEvent', params: { value } };
}
