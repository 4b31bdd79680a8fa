import { createRequire } from 'node:module';

/** The agent's version, sent in every heartbeat's `agent` object: this package's version. */
export const AGENT_VERSION: string = (
  createRequire(import.meta.url)('../package.json') as { version: string }
).version;
