import {
  asParams,
  errorResponse,
  isJsonObject,
  type Json,
  methodNotFound,
  parseEnvelope,
  RpcError,
  type RpcRequest,
  type RpcResponse,
  successResponse,
  unexpectedError,
} from '@kurento-fleet/kurento-protocol';
import type { RpcContext, RpcMethod } from './context';
import { METHODS } from './methods';
import { transaction } from './transaction';

/** What a request yields: a response, or nothing for a notification; a promise only for slow operations. */
export type Outcome = RpcResponse | undefined | Promise<RpcResponse | undefined>;

function toRpcError(error: unknown): RpcError {
  if (error instanceof RpcError) return error;
  return unexpectedError(error instanceof Error ? error.message : String(error));
}

/**
 * The JSON-RPC handler of KMS (no transport concerns): envelope checks, method lookup, error wrapping. It is
 * also what a transaction runs each of its operations through.
 */
export function processRequest(message: Json, context: RpcContext): Outcome {
  let request: RpcRequest;
  try {
    request = parseEnvelope(message);
  } catch (error) {
    // Not a usable request: answered with id null (§4).
    return errorResponse(null, toRpcError(error));
  }
  const { id } = request;
  const respond = (result: Json): RpcResponse | undefined =>
    id === undefined ? undefined : successResponse(id, result);
  const fail = (error: unknown): RpcResponse | undefined =>
    id === undefined ? undefined : errorResponse(id, toRpcError(error));

  const method = request.method === 'transaction' ? transactionMethod : METHODS[request.method];
  if (!method) return fail(methodNotFound());
  try {
    // ping never fails (§3): params it cannot read are no params.
    const params =
      request.method === 'ping' && !isJsonObject(request.params) ? null : asParams(request.params);
    const result = method(params, context);
    return result instanceof Promise ? result.then(respond, fail) : respond(result);
  } catch (error) {
    return fail(error);
  }
}

const transactionMethod: RpcMethod = (params, context) => transaction(params, context, processRequest);
