import { readFileSync } from 'node:fs';
import { runCli } from './cli';

// The `kurento-fleet` process: the real environment, streams and files around runCli.
const interrupt = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => interrupt.abort());
process.exitCode = await runCli(process.argv.slice(2), {
  interrupt: interrupt.signal,
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readFileSync(path, 'utf8'),
});
