import { isJsonObject, type JsonObject, type RpcId, type RpcResponse } from '@kurento-fleet/kurento-protocol';

/** The id of the one ServerManager every KMS has. */
export const SERVER_MANAGER = 'manager_ServerManager';

/** `newref:K` names the result of operation K of the same transaction. */
export const NEW_REF = 'newref:';

/**
 * The pipeline an object belongs to: the first path segment of its id. KMS names a child
 * `<parent id>/<uuid>_<module>.<Type>` under its pipeline `<uuid>_kurento.MediaPipeline`, and only pipelines
 * (and the ServerManager) have no parent.
 */
export function pipelineOf(objectId: string): string {
  const slash = objectId.indexOf('/');
  return slash === -1 ? objectId : objectId.slice(0, slash);
}

/** True for the id of a pipeline itself (not of one of its elements). */
export function isPipelineId(id: string): boolean {
  return id.endsWith('_kurento.MediaPipeline') && !id.includes('/');
}

/**
 * One answer of a KMS, kept as the text it arrived in. A reply is usually relayed as is, with the client's id
 * put back in place of the gateway's; it is parsed only when the gateway itself must read it.
 */
export class Reply {
  readonly text: string;
  /**
   * Where the members after `{"id":N,` start (N: the gateway's id of the request), when KMS wrote the text in its
   * key order; undefined otherwise. Found once: `ok` and `withId` both read it for every relayed answer.
   */
  private readonly head: number | undefined;
  private parsed: RpcResponse | undefined;

  constructor(text: string, backendId: number, parsed?: RpcResponse) {
    this.text = text;
    const prefix = `{"id":${backendId},`;
    this.head = text.startsWith(prefix) ? prefix.length : undefined;
    this.parsed = parsed;
  }

  get message(): RpcResponse {
    this.parsed ??= JSON.parse(this.text) as RpcResponse;
    return this.parsed;
  }

  get ok(): boolean {
    const { head } = this;
    // jsoncpp writes members in key order, so a success continues `"jsonrpc":"2.0","result"` right after the id.
    if (head !== undefined && this.text.startsWith('"jsonrpc":"2.0","result"', head)) return true;
    if (head !== undefined && this.text.startsWith('"error"', head)) return false;
    return this.message.error === undefined;
  }

  /** `result` as an object, or undefined (an error, or a non-object result such as closeSession's null). */
  get result(): JsonObject | undefined {
    const { result } = this.message;
    return isJsonObject(result) ? result : undefined;
  }

  /** The reply's text with the client's own request id, written without re-serialising the rest. */
  withId(id: RpcId): string {
    const { head } = this;
    if (head !== undefined) return `{"id":${JSON.stringify(id)},${this.text.slice(head)}`;
    // Another writer's key order: rewrite the parsed message (JSON.parse keeps the member order).
    return JSON.stringify({ ...this.message, id });
  }
}

/** What a frame from a KMS is: the answer to one of the gateway's requests, an onEvent, or neither. */
export type BackendFrame = { kind: 'reply'; id: number } | { kind: 'event' } | { kind: 'other' };

/** Classifies a KMS frame, reading only its start when KMS wrote it (members in key order). */
export function classifyFrame(text: string): BackendFrame {
  if (text.startsWith('{"id":')) {
    const comma = text.indexOf(',', 6);
    const id = Number(text.slice(6, comma));
    if (comma > 6 && Number.isInteger(id)) return { kind: 'reply', id };
  }
  if (text.startsWith('{"jsonrpc":"2.0","method":"onEvent"')) return { kind: 'event' };
  try {
    const message = JSON.parse(text) as unknown;
    if (!isJsonObject(message)) return { kind: 'other' };
    if (message.method === 'onEvent') return { kind: 'event' };
    if (message.method === undefined && Number.isInteger(message.id)) {
      return { kind: 'reply', id: message.id as number };
    }
  } catch {
    // Not JSON: nothing the gateway asked for.
  }
  return { kind: 'other' };
}
