import { jsonLine, spawnTsx, type TsxProcess } from './tsx-process';

/** How to spawn an entry (default spawnTsx): the demo passes its own, which keeps the processes it stops. */
type Spawn = (script: string, args: string[], env: Record<string, string>) => TsxProcess;

/**
 * Spawns a repo entry and waits for the line that says it is up. A process whose line never comes is stopped
 * here: the caller gets no handle to stop it with, and it runs in its own process group.
 */
async function startEntry(
  spawn: Spawn | undefined,
  script: string,
  args: string[],
  env: Record<string, string>,
  ready: (line: string) => boolean,
): Promise<{ process: TsxProcess; line: string }> {
  const process = (spawn ?? spawnTsx)(script, args, env);
  try {
    return { process, line: await process.waitForLine(ready) };
  } catch (error) {
    await process.kill();
    throw error;
  }
}

/** What an agent process reports for: its node, the node's agent token, and the KMS beside it. */
export interface AgentProcessOptions {
  fleetUrl: string;
  nodeId: string;
  agentToken: string;
  kmsUri: string;
  /** More of the agent's variables (its probe and CPU timings: quickAgentSettings, or the test's own). */
  env?: Record<string, string>;
  spawn?: Spawn;
}

/** Starts the real agent process (`pnpm agent`) for one node, once it logged 'agent started'. */
export async function startAgentProcess(options: AgentProcessOptions): Promise<TsxProcess> {
  const env = {
    FLEET_URL: options.fleetUrl,
    FLEET_NODE_ID: options.nodeId,
    FLEET_AGENT_TOKEN: options.agentToken,
    KMS_URI: options.kmsUri,
    ...options.env,
  };
  const started = await startEntry(
    options.spawn,
    'apps/agent/src/main.ts',
    [],
    env,
    (line) => jsonLine(line)?.message === 'agent started',
  );
  return started.process;
}

/** Starts a KMS emulator process (`pnpm kms-emulator`) on `port`, with its other flags, once it serves. */
export async function startEmulatorProcess(options: {
  port: number;
  args?: string[];
  spawn?: Spawn;
}): Promise<TsxProcess> {
  const args = ['--port', String(options.port), ...(options.args ?? [])];
  const started = await startEntry(options.spawn, 'packages/kms-emulator/src/cli.ts', args, {}, (line) =>
    line.includes('serving'),
  );
  return started.process;
}

/** A gateway process, listening. */
export interface GatewayProcess {
  process: TsxProcess;
  /** `ws://HOST:PORT/kurento`, as it logged it. */
  url: string;
  port: number;
}

/** Starts the KMS gateway process (`pnpm gateway`) with an app token, once it listens. */
export async function startGatewayProcess(options: {
  fleetUrl: string;
  token: string;
  /** Its other variables (GATEWAY_PORT, GATEWAY_ID, …). */
  env?: Record<string, string>;
  spawn?: Spawn;
}): Promise<GatewayProcess> {
  const env = { FLEET_URL: options.fleetUrl, FLEET_TOKEN: options.token, ...options.env };
  const { process, line } = await startEntry(
    options.spawn,
    'apps/gateway/src/main.ts',
    [],
    env,
    (l) => jsonLine(l)?.message === 'gateway listening',
  );
  const url = String(jsonLine(line)?.url);
  return { process, url, port: Number(new URL(url).port) };
}
