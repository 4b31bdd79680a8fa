import { type ControlPlane, type Runtime, startControlPlane as start } from '@kurento-fleet/processes';

export type { ControlPlane, Runtime } from '@kurento-fleet/processes';
export { repoRoot } from './processes';
export const testAdminToken = 'e2e-admin-token-0123456789abcdef';

/** Starts the real control plane with the tests' admin token, on a free port unless `env.PORT` says otherwise. */
export function startControlPlane(
  env: Record<string, string>,
  runtime: Runtime = 'node',
): Promise<ControlPlane> {
  return start({ adminToken: testAdminToken, env, runtime });
}
