import { execFile, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const hasWrk = () => !spawnSync('wrk', ['--version'], { encoding: 'utf8' }).error;

/**
 * Makes sure wrk is there: on a Debian machine where the bench runs as root (as on this project's machines), it
 * installs the package itself, so that `pnpm bench` runs on a fresh clone; elsewhere it stops with a how-to.
 * CI does not run benchmarks, so wrk is not a dependency of the tests.
 */
export function requireWrk(): void {
  if (hasWrk()) return;
  if (process.getuid?.() === 0 && !spawnSync('apt-get', ['--version']).error) {
    console.error('bench: installing wrk (apt-get install -y wrk)…');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['install', '-y', '-qq', 'wrk'], { stdio: 'ignore', env });
    if (!hasWrk())
      spawnSync('sh', ['-c', 'apt-get update -qq && apt-get install -y -qq wrk'], { stdio: 'ignore', env });
    if (hasWrk()) return;
  }
  throw new Error(
    'The HTTP benchmark needs wrk (https://github.com/wg/wrk): `sudo apt-get install -y wrk` on Debian/Ubuntu, ' +
      '`brew install wrk` on macOS. Or skip it: BENCH_SKIP=http,http-normal pnpm bench.',
  );
}

export interface WrkResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses outside 2xx/3xx, plus socket errors: a run with any is not a valid measurement. */
  failures: number;
}

const toMs = (value: string, unit: string) =>
  Number(value) * ({ us: 0.001, ms: 1, s: 1000 }[unit] ?? Number.NaN);

function parse(output: string): WrkResult {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(output);
  const latency = (p: string) => {
    const match = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(output);
    return match ? toMs(match[1] ?? '', match[2] ?? '') : Number.NaN;
  };
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(output);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  if (!rps) throw new Error(`unexpected wrk output:\n${output}`);
  return {
    requestsPerSecond: Number(rps[1]),
    p50Ms: latency('50'),
    p99Ms: latency('99'),
    failures: Number(non2xx?.[1] ?? 0) + socketErrors,
  };
}

export interface WrkRun {
  url: string;
  connections: number;
  seconds: number;
  /** A Lua script file for wrk's -s (POST bodies, headers), if any. */
  script?: string | undefined;
}

/** One wrk run on one thread (the machine has two cores: one for wrk, one for the server under test). */
export function runWrk(run: WrkRun): Promise<WrkResult> {
  const args = ['-t1', `-c${run.connections}`, `-d${run.seconds}s`, '--latency'];
  if (run.script) args.push('-s', run.script);
  args.push(run.url);
  return new Promise((resolve, reject) => {
    execFile('wrk', args, { timeout: (run.seconds + 30) * 1000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`wrk failed: ${error.message}\n${stderr}`));
      else resolve(parse(stdout));
    });
  });
}

const lua = (value: string) => JSON.stringify(value);

/**
 * A wrk script that POSTs `{"sessionId": …}` with a bearer token: a fresh id per request (new sessions) under
 * `prefix`, or the ids `<prefix>0 … <prefix>(cycle-1)` over and over (sticky re-assignments).
 */
export function assignScript(path: string, input: { token: string; prefix: string; cycle?: number }): string {
  writeFileSync(
    path,
    `wrk.method = "POST"
wrk.headers["content-type"] = "application/json"
wrk.headers["authorization"] = ${lua(`Bearer ${input.token}`)}
local n = 0
local cycle = ${input.cycle ?? 0}
request = function()
  local id = n
  n = n + 1
  if cycle > 0 then id = id % cycle end
  return wrk.format(nil, "/v1/sessions", nil, '{"sessionId":"' .. ${lua(input.prefix)} .. id .. '"}')
end
`,
  );
  return path;
}
