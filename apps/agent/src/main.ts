import { startAgent } from '@kurento-fleet/agent';
import { jsonLogger } from '@kurento-fleet/log';
import { routeConsoleToLogger } from '@kurento-fleet/log/console';
import { logUncaughtErrors, stopOnSignals } from '@kurento-fleet/log/process';
import { ConfigError, parseConfig, USAGE } from './config';

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
  // The state is re-derived from a probe every interval: a quirk of kurento-client (docs/kurento-protocol.md)
  // must not take the node's reporting down with the process.
  logUncaughtErrors(log);

  const agent = startAgent({
    fleetUrl: config.fleetUrl,
    nodes: [{ nodeId: config.nodeId, agentToken: config.agentToken, kmsUri: config.kmsUri }],
    probeIntervalMs: config.probeIntervalMs,
    probeDeadlineMs: config.probeDeadlineMs,
    cpuSampleMs: config.cpuSampleMs,
    log,
  });

  stopOnSignals(log, () => agent.stop());
}

main();
