import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The repository's root: every entry is spawned from there, as `pnpm` scripts run. */
export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

export interface TsxProcess {
  child: ChildProcess;
  /** Every line printed on stdout and stderr so far. */
  lines: string[];
  /** Resolves with the first line (past or future) that matches; rejects after `timeoutMs` or on exit. */
  waitForLine(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  readonly alive: boolean;
  /** SIGTERM, then the exit code (null if a signal ended it). */
  stop(): Promise<number | null>;
  /** SIGKILL to the whole process group (workerd, emulators…); a no-op once it has exited. */
  kill(): Promise<void>;
}

/**
 * Runs a TypeScript entry of the repo as a real process (`node --import tsx`), in its own process group so a
 * kill also takes its children. Tests wait on its log lines instead of sleeping.
 */
export function spawnTsx(
  script: string,
  args: string[],
  env: Record<string, string>,
  /** Node's own flags (e.g. --cpu-prof, which Node refuses in NODE_OPTIONS). */
  nodeArgs: string[] = [],
): TsxProcess {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const lines: string[] = [];
  const waiters = new Set<(line: string) => void>();
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream?.on('data', (chunk) => {
      buffered += chunk;
      const complete = buffered.split('\n');
      buffered = complete.pop() ?? '';
      for (const line of complete) {
        lines.push(line);
        for (const waiter of waiters) waiter(line);
      }
    });
  }
  const exited = once(child, 'exit');
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    lines,
    get alive() {
      return alive();
    },
    waitForLine(match, timeoutMs = 20_000) {
      const seen = lines.find(match);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const onLine = (line: string) => {
          if (!match(line)) return;
          done();
          resolve(line);
        };
        const onExit = () => {
          done();
          reject(
            new Error(`${script} exited (${child.exitCode}) before the awaited line:\n${lines.join('\n')}`),
          );
        };
        const timer = setTimeout(() => {
          done();
          reject(
            new Error(`${script}: no awaited line within ${timeoutMs} ms:\n${lines.slice(-20).join('\n')}`),
          );
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(onLine);
          child.off('exit', onExit);
        };
        waiters.add(onLine);
        child.once('exit', onExit);
      });
    },
    async stop() {
      if (alive()) child.kill('SIGTERM');
      await exited;
      return child.exitCode;
    },
    async kill() {
      if (!alive()) return;
      process.kill(-(child.pid ?? 0), 'SIGKILL');
      await exited;
    },
  };
}

/** Parses a JSON log line, or returns null for any other line. */
export function jsonLine(line: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(line) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A TCP port that was free a moment ago, for a server that must come back on the same port after a restart. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** Polls `check` until it returns true; resolves with the time it took, rejects after `timeoutMs`. */
export async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Date.now() - start;
}
