import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { repoRoot } from '../../support/processes';

export const benchAdminToken = 'bench-admin-token-0123456789abcdef';

export interface BenchPlane {
  url: string;
  child: ChildProcess;
  request(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<{ status: number; body: any }>;
  /** SIGTERM and wait: the control plane exits 0, which is when --cpu-prof writes its profile. */
  stop(): Promise<void>;
}

/**
 * Starts the real control plane entry (`node --import tsx apps/control-plane/src/node.ts`) with extra Node
 * flags: the shared test helper cannot pass --cpu-prof, which Node refuses in NODE_OPTIONS.
 */
export async function startBenchPlane(
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<BenchPlane> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'apps/control-plane/src/node.ts'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0', FLEET_ADMIN_TOKEN: benchAdminToken, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.once('exit', (code) => reject(new Error(`control plane exited (${code}) before listening`)));
    child.stdout?.on('data', (chunk) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.includes('control plane listening')) continue;
        resolve(String((JSON.parse(line) as { url: string }).url));
      }
    });
  });
  const request: BenchPlane['request'] = async (method, path, body, token = benchAdminToken) => {
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
    child,
    request,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
