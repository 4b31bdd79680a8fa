import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { type CliConfig, CliError, parseCliArgs, USAGE } from './cli-args';
import { parseCommandLine, runCommand, statusOf } from './control/commands';
import { type ControlServer, startControlServer } from './control/http';
import { type KmsEmulator, startKmsEmulator } from './emulator';

function writeState(
  file: string,
  emulators: readonly KmsEmulator[],
  control: ControlServer | undefined,
): void {
  const state = { pid: process.pid, control: control?.url ?? null, emulators: statusOf(emulators) };
  // Write-then-rename so a reader never sees half a file.
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

async function main(config: CliConfig): Promise<void> {
  const emulators = await Promise.all(
    config.ports.map((port) =>
      startKmsEmulator({
        port,
        host: config.host,
        cpuCount: config.cpuCount,
        load: config.load,
        gcIntervalMs: config.gcIntervalMs,
        delayMs: config.delayMs,
        objectLimit: config.objectLimit,
        media: config.media,
      }),
    ),
  );
  const mode = config.media ? 'media' : 'signalling only';
  for (const e of emulators) console.log(`kms-emulator: serving ${e.url} (serverId ${e.serverId}, ${mode})`);

  let control: ControlServer | undefined;
  const saveState = () => {
    if (config.stateFile) writeState(config.stateFile, emulators, control);
  };
  const run = async (command: Parameters<typeof runCommand>[1]) => {
    const status = await runCommand(emulators, command);
    if (command.name !== 'status') console.log(`kms-emulator: ${command.name} done`);
    saveState();
    return status;
  };
  if (config.controlPort !== undefined)
    control = await startControlServer(config.host, config.controlPort, run);
  if (control) console.log(`kms-emulator: control endpoint ${control.url} (POST /<command>, GET /status)`);
  saveState();

  const lines = createInterface({ input: process.stdin, terminal: false });
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    run(parseCommandLine(line)).then(
      (status) => console.log(JSON.stringify(status)),
      (error: unknown) => console.log(`kms-emulator: error: ${(error as Error).message}`),
    );
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`kms-emulator: ${signal}, stopping`);
    lines.close();
    await Promise.all([...emulators.map((e) => e.stop()), control?.close()]);
    if (config.stateFile) rmSync(config.stateFile, { force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

let config: CliConfig;
try {
  config = parseCliArgs(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof CliError)) throw error;
  console.error(`kms-emulator: ${error.message}\n\n${USAGE}`);
  process.exit(2);
}
if (config.help) {
  console.log(USAGE);
  process.exit(0);
}
main(config).catch((error: unknown) => {
  console.error(`kms-emulator: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
