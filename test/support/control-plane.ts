import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const testAdminToken = 'e2e-admin-token-0123456789abcdef';

export interface ControlPlane {
  url: string;
  process: ChildProcess;
  /** Every log line the process printed, parsed. */
  logs: Record<string, unknown>[];
  /** SIGTERM, then wait for a clean exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL to its process group: a crash, nothing flushed by the process itself. No-op once it has exited. */
  kill(): Promise<void>;
  /** Sends a request with the test admin token (or `token`), returns status and parsed body. */
  request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<{ status: number; body: T }>;
}

/** Which entry serves the control plane: Node + better-sqlite3 (`pnpm start`) or workerd + D1 (`pnpm start:edge`). */
export type Runtime = 'node' | 'edge';
const entries: Record<Runtime, string> = {
  node: 'apps/control-plane/src/node.ts',
  edge: 'apps/control-plane/src/edge.ts',
};

/**
 * Starts the real control plane on a free port. Its own process group, so that a kill also takes workerd,
 * which miniflare runs as a child process.
 */
export async function startControlPlane(
  env: Record<string, string>,
  runtime: Runtime = 'node',
): Promise<ControlPlane> {
  const child = spawn(process.execPath, ['--import', 'tsx', entries[runtime]], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0', FLEET_ADMIN_TOKEN: testAdminToken, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          logs.push(entry);
          if (entry.message === 'control plane listening') resolve(String(entry.url));
        } catch {
          // not a log line
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`control plane exited with ${code}: ${stderr}`)));
    setTimeout(() => reject(new Error(`control plane did not start in 20 s: ${stderr}`)), 20_000);
  });
  const request: ControlPlane['request'] = async (method, path, body, token = testAdminToken) => {
    const response = await fetch(url + path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  const exited = once(child, 'exit');
  return {
    url,
    process: child,
    logs,
    request,
    async stop() {
      child.kill('SIGTERM');
      const [code] = await exited;
      return code as number | null;
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(-(child.pid ?? 0), 'SIGKILL');
      await exited;
    },
  };
}
