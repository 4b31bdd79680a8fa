// The helpers moved to a workspace package so that `pnpm demo` can use them at run time; tests import them here.
export {
  freePort,
  type GatewayProcess,
  jsonLine,
  QUICK_HEARTBEATS,
  quickAgentSettings,
  quickHeartbeatSettings,
  repoRoot,
  spawnTsx,
  startAgentProcess,
  startEmulatorProcess,
  startGatewayProcess,
  type TsxProcess,
  waitUntil,
} from '@kurento-fleet/processes';
