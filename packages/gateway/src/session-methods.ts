import { randomUUID } from 'node:crypto';
import {
  getString,
  invalidSession,
  type JsonObject,
  optionalBoolean,
  optionalString,
  requireParams,
} from '@kurento-fleet/kurento-protocol';
import { answer, type Call, type Core } from './core';
import type { VirtualSession } from './sessions';

/** A session-level call before its session is known (ping and connect may make none). */
export type BareCall = Omit<Call, 'session' | 'params'> & { params: JsonObject | null };

/** ping never fails and never makes a session; it echoes a sessionId it was given (or that was injected). */
export function ping(core: Core, call: BareCall): void {
  const sessionId = optionalString(call.params, 'sessionId');
  answer(core, call, { result: sessionId === undefined ? { value: 'pong' } : { sessionId, value: 'pong' } });
}

/**
 * connect: without a sessionId, a new one; with one the gateway holds, that session (its socket is relinked,
 * and what was buffered for it follows the answer); with one it does not hold (it restarted), the session is
 * looked for on every KMS, and resumed if any still has it, else 40007 as a restarted KMS answers.
 */
export async function connect(core: Core, call: BareCall): Promise<void> {
  const sessionId = optionalString(call.params, 'sessionId');
  const serverId = core.settings.serverId;
  if (sessionId === undefined) {
    answer(core, call, { result: { serverId, sessionId: randomUUID() } });
    return;
  }
  const session = core.sessions.get(sessionId) ?? (await restore(core, sessionId));
  answer(core, call, session ? { result: { serverId, sessionId } } : { error: invalidSession() });
}

/** keepAlive: the session's KMS sessions are kept alive by their open sockets; an unknown one is looked for. */
export async function keepAlive(core: Core, call: BareCall): Promise<void> {
  const sessionId = getString(requireParams(call.params), 'sessionId');
  const session = core.sessions.get(sessionId) ?? (await restore(core, sessionId));
  answer(core, call, session ? { result: { sessionId } } : { error: invalidSession() });
}

/** closeSession: closed on every KMS the session used; KMS answers `null`, and so does the gateway. */
export async function closeSession(core: Core, call: BareCall): Promise<void> {
  const params = requireParams(call.params);
  const release = optionalBoolean(params, 'release') ?? false;
  const sessionId = getString(params, 'sessionId');
  const session = core.sessions.get(sessionId);
  if (session) {
    await Promise.allSettled(
      [...session.backends.values()].map((backend) => backend.send('closeSession', { sessionId, release })),
    );
    core.sessions.end(session);
  }
  answer(core, call, { result: null });
}

/**
 * Looks for a session on every KMS that is up (after a gateway restart, KMS still holds a session 240–480 s
 * after its socket closed): resumed wherever `connect` succeeds, with its subscriptions flowing again.
 */
function restore(core: Core, sessionId: string): Promise<VirtualSession | undefined> {
  const { restoring } = core;
  let pending = restoring.get(sessionId);
  if (!pending) {
    pending = restoreOnNodes(core, sessionId).finally(() => restoring.delete(sessionId));
    restoring.set(sessionId, pending);
  }
  return pending;
}

async function restoreOnNodes(core: Core, sessionId: string): Promise<VirtualSession | undefined> {
  await core.nodes.ready;
  const session = core.sessions.getOrCreate(sessionId);
  const nodes = core.nodes.up();
  const found = await Promise.all(
    nodes.map(async (node) => {
      const resumed = await core.sessions.backendOn(session, node).resumeExisting();
      if (!resumed) session.backends.delete(node.id);
      return resumed;
    }),
  );
  if (found.some(Boolean)) {
    core.log.info('resumed a session after the gateway lost it', {
      sessionId,
      nodes: nodes.filter((_, index) => found[index]).map((node) => node.id),
    });
    return session;
  }
  core.sessions.end(session);
  return undefined;
}
