export { type Agent, type AgentNode, type AgentNodeState, type AgentOptions, startAgent } from './agent';
export { type Clock, realClock, type TimerHandle } from './clock';
export type { ConnectKms, KmsConnection, KmsConnectionEvent, KmsProbe, KmsReport } from './kms-connection';
export { connectKurento, type KurentoConnectionOptions } from './kurento-connection';
export {
  type AgentInfo,
  type KmsHeartbeat,
  type Reporter,
  type ReporterOptions,
  type ReporterStatus,
  startReporter,
} from './reporter';
export { AGENT_VERSION } from './version';
export {
  type KmsState,
  type KmsStatus,
  startWatcher,
  type Watcher,
  type WatcherOptions,
  type WatcherUpdate,
} from './watcher';
