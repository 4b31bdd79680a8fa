import { kurentoError, RpcError } from '@kurento-fleet/kurento-protocol';

/** A KMS could not be reached, or its socket closed before it answered. */
export class BackendLostError extends Error {
  override name = 'BackendLostError';
  /** The request had left: it may have run. */
  readonly sent: boolean;

  constructor(message: string, sent = false) {
    super(message);
    this.sent = sent;
  }
}

/** The node is down for the gateway: its socket dropped and did not come back within the grace. */
export class NodeDownError extends Error {
  override name = 'NodeDownError';
}

/**
 * The KMS of the request's node could not be reached, or its socket closed before the answer (`sent`: whether
 * the request ran is unknown). KMS's generic UNEXPECTED_ERROR (40003), so that no client mistakes it for
 * "object not found", which OpenVidu reads as a restarted KMS.
 */
export function answerLost(nodeId: string, sent: boolean): RpcError {
  const what = sent
    ? 'closed before it answered; the request may or may not have run'
    : 'could not be opened; the request did not run';
  return new RpcError(40003, `The connection to the KMS of node '${nodeId}' ${what}`, {
    type: 'UNEXPECTED_ERROR',
  });
}

/**
 * No KMS of the fleet can serve the request (none reachable, none with room, or the control plane is
 * unreachable for a new pipeline). KMS's code for a resource it cannot provide.
 */
export function noKmsAvailable(why: string): RpcError {
  return kurentoError('MEDIA_OBJECT_NOT_AVAILABLE', `No KMS of the fleet can serve this request: ${why}`);
}

/** A transaction whose operations name objects of two pipelines, which may live on two KMS. */
export function transactionSpansPipelines(first: string, second: string): RpcError {
  return kurentoError(
    'MALFORMED_TRANSACTION',
    `Transaction spans two pipelines ('${first}' and '${second}'); behind the kurento-fleet gateway every ` +
      'pipeline may live on another KMS, so a transaction must stay within one pipeline',
  );
}

/** What KMS answers when an element is connected to one of another pipeline. */
export function elementsOfTwoPipelines(): RpcError {
  return kurentoError('CONNECT_ERROR', 'Media elements do not share pipeline');
}
