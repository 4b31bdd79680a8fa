import { DemoFleet } from './fleet';
import { OptionsError, parseOptions, USAGE } from './options';
import { runScenario } from './scenario';

/**
 * `pnpm demo`: the whole system on one machine, as real processes, in under a minute. Every child process is
 * stopped on the way out, whichever way that is (the end, an error, Ctrl+C).
 */
async function main(): Promise<number> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof OptionsError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const fleet = new DemoFleet();
  process.once('exit', () => fleet.killNow());
  const interruption = new AbortController();
  let finished = false;
  const interrupt = (signal: NodeJS.Signals) => {
    if (interruption.signal.aborted) return;
    interruption.abort();
    process.stderr.write(`\n${signal}: stopping the gateway, control plane, emulators and agents…\n`);
    // After the report (--keep), Ctrl+C is the expected way out, not an interruption.
    fleet.stop().finally(() => process.exit(finished ? 0 : 130));
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);

  try {
    const { application, failures } = await runScenario(options, fleet, {
      live: process.stderr,
      report: (line) => process.stdout.write(`${line}\n`),
      signal: interruption.signal,
    });
    finished = true;
    if (options.keep) {
      // The application stays connected, so its rooms stay open on the fleet.
      process.stdout.write(
        `\nThe fleet keeps running until Ctrl+C:\n` +
          `  ${fleet.gatewayUri}   the gateway: point an application's ws_uri (Kurento tutorials) or KMS_URIS (OpenVidu CE) here\n` +
          `  ${fleet.url}/docs      API reference\n  ${fleet.url}/          dashboard\n` +
          `  admin token: ${fleet.adminToken}\n` +
          `  curl -H 'Authorization: Bearer ${fleet.adminToken}' ${fleet.url}/metrics\n` +
          `  curl http://${new URL(fleet.gatewayUri).host}/metrics\n`,
      );
      // Until the signal handler exits; the timer keeps the process alive whatever its children do.
      await new Promise(() => setInterval(() => {}, 60_000));
    }
    application.close();
    await fleet.stop();
    // The story's promise: no error reaches the application, whatever happens to a KMS.
    return failures.length === 0 ? 0 : 1;
  } catch (error) {
    if (interruption.signal.aborted) return new Promise(() => {}); // the signal handler exits once everything has stopped
    process.stderr.write(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    await fleet.stop();
    return 1;
  }
}

main().then((code) => process.exit(code));
