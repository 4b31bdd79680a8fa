import { errorMessage, type Logger } from './logger';

/** How long a stop may take (sockets' close handshakes, a last write) before the process exits anyway. */
const STOP_TIMEOUT_MS = 5000;

/** The stack of a thrown value, or its message when it has none. */
export function stackOf(error: unknown): string {
  return error instanceof Error && error.stack ? error.stack : errorMessage(error);
}

/**
 * Last resort for a long-running process (agent, gateway): an uncaught exception or unhandled rejection is
 * logged and the process carries on. Their state is re-derived from the KMS and the control plane, so carrying
 * on is safer than letting one broken socket or a quirk of kurento-client take every session down with it.
 */
export function logUncaughtErrors(log: Logger): void {
  process.on('uncaughtException', (error) => log.error('uncaught exception', { error: stackOf(error) }));
  process.on('unhandledRejection', (reason) => log.error('unhandled rejection', { error: stackOf(reason) }));
}

/**
 * SIGTERM or SIGINT runs `stop` once (logging the signal; `stop` logs its own end), and exits 0 when it settles, or after 5 s if it does not
 * (kurento-client keeps 20 s request timers of its own alive: waiting for the event loop to empty could hang).
 */
export function stopOnSignals(log: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    setTimeout(() => {
      log.warn('stop timed out; exiting', { timeoutMs: STOP_TIMEOUT_MS });
      process.exit(0);
    }, STOP_TIMEOUT_MS).unref();
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error('error while stopping', { error: errorMessage(error) });
        process.exit(0);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
