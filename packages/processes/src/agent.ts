import { jsonLine, spawnTsx, type TsxProcess } from './tsx-process';

/** What an agent process reports for: its node, the node's agent token, and the KMS beside it. */
export interface AgentProcessOptions {
  fleetUrl: string;
  nodeId: string;
  agentToken: string;
  kmsUri: string;
  /** More of the agent's variables (its probe and CPU timings: quickAgentSettings, or the test's own). */
  env?: Record<string, string>;
  /** How to spawn it (default spawnTsx): the demo passes its own, which keeps the processes it stops. */
  spawn?: (script: string, args: string[], env: Record<string, string>) => TsxProcess;
}

/** Starts the real agent process (`pnpm agent`) for one node, once it logged 'agent started'. */
export async function startAgentProcess(options: AgentProcessOptions): Promise<TsxProcess> {
  const spawn = options.spawn ?? spawnTsx;
  const agent = spawn('apps/agent/src/main.ts', [], {
    FLEET_URL: options.fleetUrl,
    FLEET_NODE_ID: options.nodeId,
    FLEET_AGENT_TOKEN: options.agentToken,
    KMS_URI: options.kmsUri,
    ...options.env,
  });
  try {
    await agent.waitForLine((line) => jsonLine(line)?.message === 'agent started');
  } catch (error) {
    // The caller gets no handle to stop it with, and it runs in its own process group: stop it here.
    await agent.kill();
    throw error;
  }
  return agent;
}
