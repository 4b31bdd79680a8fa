import { FleetClient } from '@kurento-fleet/client';
import { sdkFleet, startGateway } from '@kurento-fleet/gateway';
import { errorMessage, jsonLogger } from '@kurento-fleet/log';
import { routeConsoleToLogger } from '@kurento-fleet/log/console';
import { ConfigError, parseConfig, USAGE } from './config';

/** How long SIGTERM waits for the application sockets' close handshakes and the rest before exiting anyway. */
const STOP_TIMEOUT_MS = 5000;

/** The gateway process: configuration from the environment, the gateway, JSON logs, a clean stop on SIGTERM. */
async function main(): Promise<void> {
  if (process.argv.slice(2).some((arg) => arg === '--help' || arg === '-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let config: ReturnType<typeof parseConfig>;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\nRun with --help for the settings.\n`);
    process.exit(1);
  }
  const log = jsonLogger({ level: config.logLevel });
  // stdout stays one JSON object a line.
  routeConsoleToLogger(log);
  // Last resort: one broken request or socket must not take every application's media signalling down.
  process.on('uncaughtException', (error) => log.error('uncaught exception', { error: stackOf(error) }));
  process.on('unhandledRejection', (reason) => log.error('unhandled rejection', { error: stackOf(reason) }));

  const fleet = sdkFleet(new FleetClient({ url: config.fleetUrl, token: config.fleetToken }));
  const gateway = await startGateway({
    fleet,
    gatewayId: config.gatewayId,
    host: config.host,
    port: config.port,
    graceMs: config.graceMs,
    connectTimeoutMs: config.connectTimeoutMs,
    detachedSessionMs: config.detachedSessionMs,
    bufferFrames: config.bufferFrames,
    topologyRefreshMs: config.topologyRefreshMs,
    log,
  });
  log.info('gateway listening', { url: gateway.url, gatewayId: config.gatewayId, fleetUrl: config.fleetUrl });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    setTimeout(() => {
      log.warn('stop timed out; exiting', { timeoutMs: STOP_TIMEOUT_MS });
      process.exit(0);
    }, STOP_TIMEOUT_MS).unref();
    gateway.stop().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
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

void main().catch((error: unknown) => {
  process.stderr.write(`Cannot start the gateway: ${stackOf(error)}\n`);
  process.exit(1);
});
