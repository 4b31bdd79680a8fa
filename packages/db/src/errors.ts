/** Error codes shared with the HTTP contract; the API maps each to its status in one place. */
export type FleetErrorCode = 'BAD_REQUEST' | 'NOT_FOUND' | 'CONFLICT' | 'NO_NODE_AVAILABLE';

/** A domain error: the request cannot be done as asked, and nothing was changed. */
export class FleetError extends Error {
  constructor(
    readonly code: FleetErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FleetError';
  }
}
