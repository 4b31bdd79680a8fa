import { jsonLine, spawnTsx, type TsxProcess } from './processes';

export { repoRoot } from './processes';
export const testAdminToken = 'e2e-admin-token-0123456789abcdef';

export interface ControlPlane {
  url: string;
  process: TsxProcess;
  /** Every JSON log line the process printed so far. */
  readonly logs: Record<string, unknown>[];
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

/** Starts the real control plane, on a free port unless `env.PORT` says otherwise. */
export async function startControlPlane(
  env: Record<string, string>,
  runtime: Runtime = 'node',
): Promise<ControlPlane> {
  const proc = spawnTsx(entries[runtime], [], { PORT: '0', FLEET_ADMIN_TOKEN: testAdminToken, ...env });
  const ready = await proc.waitForLine((line) => jsonLine(line)?.message === 'control plane listening');
  const url = String(jsonLine(ready)?.url);
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
  return {
    url,
    process: proc,
    get logs() {
      return proc.lines.map(jsonLine).filter((line) => line !== null);
    },
    request,
    stop: () => proc.stop(),
    kill: () => proc.kill(),
  };
}
