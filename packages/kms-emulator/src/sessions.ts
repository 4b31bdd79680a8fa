/**
 * The transport's session table: which socket each session is linked to. A link is made after every
 * successful request whose result carries a sessionId, replacing older links of either side (§2).
 */
export class SessionLinks<Peer> {
  private readonly bySession = new Map<string, Peer>();
  private readonly byPeer = new Map<Peer, string>();

  link(peer: Peer, sessionId: string): void {
    const previousSession = this.byPeer.get(peer);
    if (previousSession === sessionId) return;
    if (previousSession !== undefined) this.bySession.delete(previousSession);
    const previousPeer = this.bySession.get(sessionId);
    if (previousPeer !== undefined) this.byPeer.delete(previousPeer);
    this.bySession.set(sessionId, peer);
    this.byPeer.set(peer, sessionId);
  }

  /** On socket close only the link goes: objects and subscriptions wait for the GC (§2). */
  unlink(peer: Peer): void {
    const sessionId = this.byPeer.get(peer);
    if (sessionId === undefined) return;
    this.byPeer.delete(peer);
    this.bySession.delete(sessionId);
  }

  sessionOf(peer: Peer): string | undefined {
    return this.byPeer.get(peer);
  }

  peerOf(sessionId: string): Peer | undefined {
    return this.bySession.get(sessionId);
  }

  linkedSessions(): IterableIterator<string> {
    return this.bySession.keys();
  }
}

/** A periodic GC pass (KMS: every 240 s); `intervalMs` 0 or less disables the timer. */
export function startGarbageCollector(intervalMs: number, pass: () => void): { stop(): void } {
  if (intervalMs <= 0) return { stop: () => {} };
  const timer = setInterval(pass, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
