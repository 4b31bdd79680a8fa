import { isJsonObject, type Json } from './json';
import type { RpcResponse } from './jsonrpc';

/**
 * Session id injection (§2): on a linked socket, a request whose params lack a string sessionId gets the
 * linked one; null params become `{"sessionId":S}`.
 */
export function injectSessionId(message: Json, sessionId: string): void {
  if (!isJsonObject(message)) return;
  const params = message.params;
  if (params === undefined || params === null) message.params = { sessionId };
  else if (isJsonObject(params) && typeof params.sessionId !== 'string') params.sessionId = sessionId;
}

/** The sessionId a successful response carries in its result, which the transport links to the socket. */
export function responseSessionId(response: RpcResponse): string | undefined {
  const { result } = response;
  return isJsonObject(result) && typeof result.sessionId === 'string' ? result.sessionId : undefined;
}
