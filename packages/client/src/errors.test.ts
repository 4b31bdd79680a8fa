import { describe, expect, it } from 'vitest';
import {
  apiError,
  BadRequestError,
  ConflictError,
  FleetApiError,
  FleetClientError,
  ForbiddenError,
  NoNodeAvailableError,
  NotFoundError,
  UnauthorizedError,
} from './errors';
import { errorBody } from './testing/fake-fetch';

describe('apiError', () => {
  it.each([
    [400, 'BAD_REQUEST', BadRequestError],
    [401, 'UNAUTHORIZED', UnauthorizedError],
    [403, 'FORBIDDEN', ForbiddenError],
    [404, 'NOT_FOUND', NotFoundError],
    [409, 'CONFLICT', ConflictError],
    [503, 'NO_NODE_AVAILABLE', NoNodeAvailableError],
    [413, 'PAYLOAD_TOO_LARGE', FleetApiError],
    [503, 'UNAVAILABLE', FleetApiError],
  ] as const)('maps %i %s to its class', (status, code, ErrorClass) => {
    const error = apiError(status, errorBody(code, 'the message', 'req-9'), new Headers());
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toBeInstanceOf(FleetApiError);
    expect(error).toBeInstanceOf(FleetClientError);
    expect(error).toMatchObject({ status, code, message: 'the message', requestId: 'req-9' });
    expect(error.name).toBe(ErrorClass.name);
  });

  it('builds a code from the status and takes the request id from the header when the body is not ours', () => {
    const error = apiError(502, undefined, new Headers({ 'x-request-id': 'rid-7' }));
    expect(error).toMatchObject({ status: 502, code: 'HTTP_502', message: 'HTTP 502', requestId: 'rid-7' });
    expect(apiError(404, { error: 'nope' }, new Headers())).toBeInstanceOf(NotFoundError);
    expect(apiError(404, { error: { code: 42 } }, new Headers()).code).toBe('NOT_FOUND');
  });
});
