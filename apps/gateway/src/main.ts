import { FleetClient } from '@kurento-fleet/client';
import { sdkFleet, startGateway } from '@kurento-fleet/gateway';
import { jsonLogger } from '@kurento-fleet/log';
import { routeConsoleToLogger } from '@kurento-fleet/log/console';
import { logUncaughtErrors, stackOf, stopOnSignals } from '@kurento-fleet/log/process';
import { ConfigError, parseConfig, USAGE } from './config';

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
  // One broken request or socket must not take every application's media signalling down.
  logUncaughtErrors(log);

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

  // Every application socket gets a close frame: kurento-client reconnects and resumes its session.
  stopOnSignals(log, () => gateway.stop());
}

void main().catch((error: unknown) => {
  process.stderr.write(`Cannot start the gateway: ${stackOf(error)}\n`);
  process.exit(1);
});
