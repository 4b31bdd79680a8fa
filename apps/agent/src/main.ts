import { startAgent } from '@kurento-fleet/agent';
import { errorMessage, jsonLogger } from '@kurento-fleet/log';
import { routeConsoleToLogger } from '@kurento-fleet/log/console';
import { ConfigError, parseConfig, USAGE } from './config';

/** How long SIGTERM waits for a clean stop before exiting anyway. */
const STOP_TIMEOUT_MS = 5000;

/** The agent process: configuration from env and flags, one KMS watched, JSON logs, clean stop on SIGTERM. */
function main(): void {
  let parsed: ReturnType<typeof parseConfig>;
  try {
    parsed = parseConfig(process.env, process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\nRun with --help for the settings.\n`);
    process.exit(1);
  }
  if (parsed.help || !parsed.config) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const config = parsed.config;
  const log = jsonLogger({ level: config.logLevel });
  // kurento-client writes to the console; stdout must stay one JSON object a line.
  routeConsoleToLogger(log);
  // Last resort. The state is re-derived from a probe every interval, so carrying on is safer than letting a
  // quirk of kurento-client (docs/kurento-protocol.md) take the node's reporting down with the process.
  process.on('uncaughtException', (error) => log.error('uncaught exception', { error: stackOf(error) }));
  process.on('unhandledRejection', (reason) => log.error('unhandled rejection', { error: stackOf(reason) }));

  const agent = startAgent({
    fleetUrl: config.fleetUrl,
    nodes: [{ nodeId: config.nodeId, agentToken: config.agentToken, kmsUri: config.kmsUri }],
    probeIntervalMs: config.probeIntervalMs,
    probeDeadlineMs: config.probeDeadlineMs,
    cpuSampleMs: config.cpuSampleMs,
    log,
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    setTimeout(() => {
      log.warn('stop timed out; exiting', { timeoutMs: STOP_TIMEOUT_MS });
      process.exit(0);
    }, STOP_TIMEOUT_MS).unref();
    // kurento-client keeps 20 s request timers of its own alive: exit rather than wait for them.
    agent.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error('error while stopping', { error: errorMessage(error) });
        process.exit(0);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

function stackOf(error: unknown): string {
  return error instanceof Error && error.stack ? error.stack : errorMessage(error);
}

main();
