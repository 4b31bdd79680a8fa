import { constantTimeEqual, findPrincipal, hashToken, type Principal } from '@kurento-fleet/db';
import type { Context, MiddlewareHandler } from 'hono';
import { type AuthCache, authCache } from './auth-cache';
import type { AppEnv } from './context';
import { AppError } from './errors';
import type { AuthFailureLimiter } from './security/auth-failures';

const bearer = /^Bearer[ ]+([\x21-\x7e]{1,512})$/i;

/** Who is failing authentication, and how often they may: the auth-failure limit (security/auth-failures.ts). */
export interface FailureGuard {
  limiter: AuthFailureLimiter;
  /** The client's address as the runtime knows it; undefined puts it with the other unknowns. */
  clientKey: (c: Context<AppEnv>) => string | undefined;
  now: () => number;
}

/**
 * Authentication for every /v1 path (and /metrics), before routing: no or bad token is a 401 even for a path
 * that does not exist, so an outsider learns nothing about the API's shape. The token is looked at first: a
 * valid one always passes; a missing or invalid one counts against its client, which gets 429 instead of 401
 * once past the limit.
 */
export function authenticate(
  adminToken: string | undefined,
  guard: FailureGuard,
  cache: AuthCache = authCache(),
): MiddlewareHandler<AppEnv> {
  const adminHash = adminToken === undefined ? undefined : hashToken(adminToken);
  const refuse = (c: Context<AppEnv>, message: string): never => {
    const retryAfter = guard.limiter.fail(guard.clientKey(c) ?? 'unknown', guard.now());
    if (retryAfter === undefined) throw new AppError('UNAUTHORIZED', message);
    c.header('Retry-After', String(retryAfter));
    throw new AppError(
      'TOO_MANY_REQUESTS',
      `Too many failed authentications from this client; retry in ${retryAfter} s.`,
    );
  };
  return async (c, next) => {
    const match = bearer.exec(c.req.header('authorization') ?? '');
    const token = match?.[1];
    if (!token) return refuse(c, 'A bearer token is required: Authorization: Bearer <token>.');
    let principal: Principal | null = cache.get(token) ?? null;
    if (!principal) {
      const generation = cache.generation;
      // One digest serves both checks: the configured admin token, then the stored tokens.
      const hash = await hashToken(token);
      if (adminHash && constantTimeEqual(hash, await adminHash)) principal = { role: 'admin' };
      else principal = await findPrincipal(c.get('db'), token, hash);
      if (!principal) return refuse(c, 'The bearer token is invalid or has been revoked.');
      cache.set(token, principal, generation);
    }
    c.set('principal', principal);
    await next();
    // Any admin write may revoke a token (delete it, rotate an agent's, delete its node): forget them all.
    if (principal.role === 'admin' && c.req.method !== 'GET' && c.res.status < 400) cache.clear();
  };
}

/** Authorization of one route: admin may do everything, other roles only what is listed. */
export function allow(...roles: Principal['role'][]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { role } = c.get('principal');
    if (role !== 'admin' && !roles.includes(role)) {
      throw new AppError(
        'FORBIDDEN',
        `A token of role '${role}' may not call ${c.req.method} ${c.req.routePath}.`,
      );
    }
    await next();
  };
}

/** Admin, or the agent of the node named by the path parameter: an agent token never speaks for another node. */
export function allowAgentOfPathNode(param = 'id'): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    const nodeId = c.req.param(param);
    if (principal.role === 'agent' && principal.nodeId !== nodeId) {
      throw new AppError(
        'FORBIDDEN',
        `This agent token belongs to node '${principal.nodeId}', not '${nodeId}'.`,
      );
    }
    if (principal.role === 'app')
      throw new AppError('FORBIDDEN', "A token of role 'app' may not send heartbeats.");
    await next();
  };
}
