import type { SqlClient } from './client';
import { writesEvents } from './outbox';

/**
 * A SqlClient that calls `committed` after each batch that wrote at least one event, once it has committed:
 * what wakes the webhook dispatcher and the event streams of this process at once, instead of at their next
 * poll (the poll remains, for the events other processes write). Nothing is called for a batch whose event
 * statements wrote no row (a refused request, a heartbeat without a transition) nor for one that failed.
 */
export function watchOutbox(client: SqlClient, committed: () => void): SqlClient {
  return {
    ...client,
    async batch(statements, options) {
      const results = await client.batch(statements, options);
      if (statements.some((statement, i) => writesEvents(statement) && (results[i]?.length ?? 0) > 0))
        committed();
      return results;
    },
  };
}
