import { randomUUID } from 'node:crypto';
import type { RpcResponse } from '@kurento-fleet/kurento-protocol';
import {
  asUInt,
  getArray,
  isConvertibleTo,
  isJsonObject,
  type Json,
  type JsonObject,
  kurentoError,
  optionalString,
  requireParams,
  unexpectedError,
} from '@kurento-fleet/kurento-protocol';
import type { RpcContext } from './context';

const NEW_REF = 'newref:';

type Process = (
  message: Json,
  context: RpcContext,
) => RpcResponse | undefined | Promise<RpcResponse | undefined>;

function malformed(message: string) {
  return kurentoError('MALFORMED_TRANSACTION', message);
}

/** C++ std::stoi: optional blanks and sign, then digits; anything else has no value. */
function stoi(text: string): number | undefined {
  const match = /^\s*([+-]?\d+)/.exec(text);
  return match ? Number.parseInt(match[1] as string, 10) : undefined;
}

/**
 * Replaces every `newref:K` string (at any depth) by the `result.value` of operation K (ServerMethods
 * injectRefs): how an operation uses an object created earlier in the same transaction.
 */
export function injectRefs(value: Json, responses: readonly RpcResponse[]): Json {
  if (Array.isArray(value)) return value.map((item) => injectRefs(item, responses));
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) out[key] = injectRefs(item, responses);
    return out;
  }
  if (typeof value !== 'string' || value.length <= NEW_REF.length || !value.startsWith(NEW_REF)) return value;
  const ref = value.slice(NEW_REF.length);
  const index = stoi(ref);
  if (index === undefined) throw malformed(`Invalid index of newref '${ref}'`);
  const response = responses[index];
  if (response?.result === undefined) throw malformed(`Result not found on request ${index}`);
  return isJsonObject(response.result) ? (response.result.value ?? null) : null;
}

/**
 * transaction: runs its operations in order through the normal request handler, each with the
 * transaction's session, and stops after the first failure. An operation whose id is not its index fails
 * the whole transaction (operations before it have run).
 */
export async function transaction(
  params: JsonObject | null,
  context: RpcContext,
  process: Process,
): Promise<Json> {
  const p = requireParams(params);
  const sessionId = optionalString(p, 'sessionId') ?? context.newSessionId();
  const operations = getArray(p, 'operations');
  const uniqueId = randomUUID();
  const responses: RpcResponse[] = [];

  for (let i = 0; i < operations.length; i++) {
    const operation = operations[i];
    if (!isJsonObject(operation))
      throw unexpectedError('in Json::Value::operator[](ArrayIndex): requires arrayValue');
    const opParams = operation.params ?? {};
    if (!isJsonObject(opParams))
      throw unexpectedError('in Json::Value::operator[](char const*): requires objectValue');
    const id = operation.id ?? null;
    if (!isConvertibleTo(id, 'uint') || asUInt(id) !== i) {
      throw malformed(`Id of request '${i}' should be '${i}'`);
    }
    const request: JsonObject = {
      ...operation,
      id: `${uniqueId}_${i}`,
      params: injectRefs({ ...opParams, sessionId }, responses),
    };
    const response = (await process(request, context)) as RpcResponse;
    response.id = i;
    responses.push(response);
    if (response.error) break;
  }
  return { sessionId, value: responses as unknown as Json };
}
