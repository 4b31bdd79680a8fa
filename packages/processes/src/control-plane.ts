import { type FleetApi, fleetApi } from './fleet-api';
import { jsonLine, spawnTsx, type TsxProcess } from './tsx-process';

/** Which entry serves the control plane: Node + better-sqlite3 (`pnpm start`) or workerd + D1 (`pnpm start:edge`). */
export type Runtime = 'node' | 'edge';
const entries: Record<Runtime, string> = {
  node: 'apps/control-plane/src/node.ts',
  edge: 'apps/control-plane/src/edge.ts',
};

export interface ControlPlane {
  url: string;
  process: TsxProcess;
  /** Every JSON log line the process printed so far. */
  readonly logs: Record<string, unknown>[];
  /** Calls the API with the admin token (or `token`). */
  request: FleetApi;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL to its process group: a crash, nothing flushed by the process itself. No-op once it has exited. */
  kill(): Promise<void>;
}

/** Starts the real control plane as a process, on a free port unless `env.PORT` says otherwise. */
export async function startControlPlane(options: {
  adminToken: string;
  env?: Record<string, string>;
  runtime?: Runtime;
  nodeArgs?: string[];
}): Promise<ControlPlane> {
  const proc = spawnTsx(
    entries[options.runtime ?? 'node'],
    [],
    { PORT: '0', FLEET_ADMIN_TOKEN: options.adminToken, ...options.env },
    options.nodeArgs,
  );
  const ready = await proc.waitForLine((line) => jsonLine(line)?.message === 'control plane listening');
  const url = String(jsonLine(ready)?.url);
  return {
    url,
    process: proc,
    get logs() {
      return proc.lines.map(jsonLine).filter((line) => line !== null);
    },
    request: fleetApi(url, options.adminToken),
    stop: () => proc.stop(),
    kill: () => proc.kill(),
  };
}
