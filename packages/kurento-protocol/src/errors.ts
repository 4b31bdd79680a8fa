/** JSON-RPC error codes KMS sends at the transport level (§4). */
export const JsonRpcCode = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  serverError: -32000,
} as const;

/** Kurento error codes with the `data.type` KMS attaches to them (KurentoException.hpp). */
export const KurentoCode = {
  MARSHALL_ERROR: 40001,
  UNEXPECTED_ERROR: 40003,
  CONNECT_ERROR: 40004,
  INVALID_SESSION: 40007,
  MALFORMED_TRANSACTION: 40008,
  NOT_ENOUGH_RESOURCES: 40009,
  MEDIA_OBJECT_NOT_FOUND: 40101,
  MEDIA_OBJECT_EVENT_NOT_SUPPORTED: 40106,
  MEDIA_OBJECT_ILLEGAL_PARAM_ERROR: 40107,
  MEDIA_OBJECT_NOT_AVAILABLE: 40108,
  MEDIA_OBJECT_NOT_FOUND_TRANSACTION_NO_COMMIT: 40109,
  MEDIA_OBJECT_TAG_KEY_NOT_FOUND: 40110,
  MEDIA_OBJECT_OPERATION_NOT_SUPPORTED: 40111,
  SDP_PARSE_ERROR: 40201,
  SDP_END_POINT_NO_LOCAL_SDP_ERROR: 40202,
  SDP_END_POINT_NO_REMOTE_SDP_ERROR: 40203,
  SDP_END_POINT_GENERATE_OFFER_ERROR: 40204,
  SDP_END_POINT_PROCESS_OFFER_ERROR: 40205,
  SDP_END_POINT_PROCESS_ANSWER_ERROR: 40206,
  SDP_END_POINT_ALREADY_NEGOTIATED: 40208,
  SDP_END_POINT_NOT_OFFER_GENERATED: 40209,
  // Spelled as KMS spells it.
  SDP_END_POINT_ANSWER_ALREADY_PROCCESED: 40210,
  ICE_GATHER_CANDIDATES_ERROR: 40400,
  ICE_ADD_CANDIDATE_ERROR: 40401,
  // KurentoException::getType() has no case for 40500, so its data.type is UNDEFINED (§4).
  UNDEFINED: 40500,
} as const;

export type KurentoErrorType = keyof typeof KurentoCode;

/** The `error` member of a JSON-RPC response, as KMS serialises it. */
export interface RpcErrorBody {
  code: number;
  message: string;
  data?: { type: string };
}

/** An error that becomes a JSON-RPC error response; thrown anywhere below a method handler. */
export class RpcError extends Error {
  readonly code: number;
  readonly data: { type: string } | undefined;

  constructor(code: number, message: string, data?: { type: string }) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
    this.data = data;
  }

  /** The wire form; `data` is only present when KMS sends it. */
  toBody(): RpcErrorBody {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }
}

/** A Kurento error: the code comes from its type, and `data.type` names it. */
export function kurentoError(type: KurentoErrorType, message: string): RpcError {
  return new RpcError(KurentoCode[type], message, { type });
}

export const invalidRequest = (): RpcError =>
  new RpcError(JsonRpcCode.invalidRequest, 'Invalid JSON-RPC request.');

export const parseError = (): RpcError => new RpcError(JsonRpcCode.parseError, 'Parse error.');

export const methodNotFound = (): RpcError => new RpcError(JsonRpcCode.methodNotFound, 'Method not found.');

export const paramsRequired = (): RpcError =>
  new RpcError(JsonRpcCode.invalidParams, "'params' is required", { type: 'INVALID_PARAMS' });

export const parameterRequired = (name: string): RpcError =>
  new RpcError(JsonRpcCode.serverError, `'${name}' parameter is required`);

export const parameterShouldBe = (name: string, what: string): RpcError =>
  new RpcError(JsonRpcCode.serverError, `'${name}' parameter should be ${what}`);

/** KMS wraps any non-Kurento exception as `Unexpected error: <what()>`. */
export const unexpectedError = (what: string): RpcError =>
  new RpcError(JsonRpcCode.internalError, `Unexpected error: ${what}`);

export const objectNotFound = (id: string): RpcError =>
  kurentoError('MEDIA_OBJECT_NOT_FOUND', `Object '${id}' not found`);

export const invalidSession = (): RpcError => kurentoError('INVALID_SESSION', 'Invalid session');

export const marshallError = (message: string): RpcError => kurentoError('MARSHALL_ERROR', message);
