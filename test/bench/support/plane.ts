import { type ControlPlane, type Runtime, startControlPlane } from '@kurento-fleet/processes';

const benchAdminToken = 'bench-admin-token-0123456789abcdef';

/**
 * Starts the real control plane entry (Node, or workerd through `start:edge`) with extra Node flags
 * (--cpu-prof: Node refuses it in NODE_OPTIONS). Its stop() is a SIGTERM and a wait: the control plane exits 0,
 * which is when --cpu-prof writes its profile.
 */
export function startBenchPlane(
  env: Record<string, string>,
  nodeArgs: string[] = [],
  runtime: Runtime = 'node',
): Promise<ControlPlane> {
  return startControlPlane({ adminToken: benchAdminToken, env, nodeArgs, runtime });
}
