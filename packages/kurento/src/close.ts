import type { KurentoClient } from './types';

/**
 * Closes a KurentoClient now. `close()` alone waits for the last call to settle before it ends the socket (up
 * to kurento-client's 20 s request timeout on a stalled KMS), so the reconnecting socket is stopped directly
 * too. Safe to call twice, and on a client that never connected.
 */
export function closeKurentoClient(client: KurentoClient): void {
  try {
    client.close();
  } catch {
    // already closed
  }
  try {
    client._re.disconnect();
  } catch {
    // already ended
  }
}
