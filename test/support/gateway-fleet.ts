import type { Assignment, CreatedNode, CreatedToken, Node } from '@kurento-fleet/contract';
import { afterAll } from 'vitest';
import { type ControlPlane, startControlPlane } from './control-plane';
import {
  freePort,
  type GatewayProcess,
  quickAgentSettings,
  quickHeartbeatSettings,
  startAgentProcess,
  startEmulatorProcess,
  startGatewayProcess,
  type TsxProcess,
  waitUntil,
} from './processes';
import { tempDir } from './temp-dir';

/** A whole fleet as processes: control plane, one KMS emulator and one agent per node, and gateways. */
export interface GatewayFleet {
  cp: ControlPlane;
  appToken: string;
  /** Each node's emulator port. */
  ports: Record<string, number>;
  emulators: Record<string, TsxProcess>;
  agents: Record<string, TsxProcess>;
  gateway: GatewayProcess;
  /** Starts a gateway process (on `port`, or a free one). */
  startGateway(options?: { port?: number; env?: Record<string, string> }): Promise<GatewayProcess>;
  /** SIGKILL of a node's emulator and agent: a dead machine. */
  killNode(id: string): Promise<void>;
  /** SIGKILL of the control plane: the agents and gateways lose it. */
  killControlPlane(): Promise<void>;
  /** A new control-plane process on the same port and database file; `cp` is then that one. */
  restartControlPlane(): Promise<void>;
  /** Where the fleet placed a session, or undefined (404). */
  nodeOfSession(sessionId: string): Promise<string | undefined>;
}

/**
 * A fleet for a test file: `start()` (in beforeAll) registers the nodes with the given weights, in order,
 * waits until every one is up, and starts one gateway; everything is killed after the file's tests.
 */
export function useGatewayFleet(
  weights: Record<string, number>,
  gatewayEnv: Record<string, string> = {},
  /** Extra flags of every emulator, e.g. `--media` for real WebRTC peers. */
  emulatorArgs: string[] = [],
): { start(): Promise<GatewayFleet>; readonly fleet: GatewayFleet } {
  const dir = tempDir('fleet-gateway-');
  const processes: TsxProcess[] = [];
  let fleet: GatewayFleet | undefined;
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill()));
    await fleet?.cp.kill();
    dir.remove();
  });

  const start = async (): Promise<GatewayFleet> => {
    const cpEnv = { FLEET_DB_PATH: `${dir.path}/fleet.db`, ...quickHeartbeatSettings };
    const cp = await startControlPlane(cpEnv);
    const ports: Record<string, number> = {};
    const emulators: Record<string, TsxProcess> = {};
    const agents: Record<string, TsxProcess> = {};
    for (const id of Object.keys(weights)) {
      ports[id] = await freePort();
      emulators[id] = await startEmulatorProcess({ port: ports[id], args: emulatorArgs });
      processes.push(emulators[id]);
    }
    for (const [id, weight] of Object.entries(weights)) {
      const { status, body } = await cp.request<CreatedNode>('POST', '/v1/nodes', {
        id,
        uri: `ws://127.0.0.1:${ports[id]}/kurento`,
        weight,
      });
      if (status !== 201) throw new Error(`adding node ${id}: ${status} ${JSON.stringify(body)}`);
      agents[id] = await startAgentProcess({
        fleetUrl: cp.url,
        nodeId: id,
        agentToken: body.agentToken,
        kmsUri: `ws://127.0.0.1:${ports[id]}/kurento`,
        env: quickAgentSettings,
      });
      processes.push(agents[id]);
    }
    for (const id of Object.keys(weights)) {
      await waitUntil(
        async () => (await cp.request<Node>('GET', `/v1/nodes/${id}`)).body.health === 'up',
        20_000,
        `node ${id} up`,
      );
    }
    const { body: token } = await cp.request<CreatedToken>('POST', '/v1/tokens', {
      role: 'app',
      name: 'gateway',
    });
    const appToken = token.token as string;

    const startGateway = async (options: { port?: number; env?: Record<string, string> } = {}) => {
      const gateway = await startGatewayProcess({
        fleetUrl: cp.url,
        token: appToken,
        env: {
          GATEWAY_PORT: String(options.port ?? 0),
          GATEWAY_ID: 'gw-test',
          GATEWAY_TOPOLOGY_REFRESH_MS: '500',
          ...gatewayEnv,
          ...options.env,
        },
      });
      processes.push(gateway.process);
      return gateway;
    };
    const gateway = await startGateway();
    fleet = {
      cp,
      appToken,
      ports,
      emulators,
      agents,
      gateway,
      startGateway,
      async killNode(id) {
        await Promise.all([emulators[id]?.kill(), agents[id]?.kill()]);
      },
      async killControlPlane() {
        await this.cp.kill();
      },
      async restartControlPlane() {
        await this.cp.kill();
        this.cp = await startControlPlane({ ...cpEnv, PORT: new URL(cp.url).port });
      },
      async nodeOfSession(sessionId) {
        const { status, body } = await this.cp.request<Assignment>(
          'GET',
          `/v1/sessions/${encodeURIComponent(sessionId)}`,
          undefined,
          appToken,
        );
        return status === 200 ? (body.nodeId as string) : undefined;
      },
    };
    return fleet;
  };

  return {
    start,
    get fleet() {
      if (!fleet) throw new Error('the gateway fleet is not started: call start() in beforeAll');
      return fleet;
    },
  };
}
