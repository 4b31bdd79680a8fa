import type { Command } from '../command';
import { eventCommands } from './events';
import { importCommands } from './import-openvidu';
import { nodeCommands } from './nodes';
import { placementCommands } from './placements';
import { sessionCommands } from './sessions';
import { tokenCommands } from './tokens';
import { topologyCommands } from './topology';
import { webhookCommands } from './webhooks';
import { weightCommands } from './weights';

/** Every command, in the order of the help. */
export const commands: Command[] = [
  ...nodeCommands,
  ...topologyCommands,
  ...weightCommands,
  ...placementCommands,
  ...sessionCommands,
  ...tokenCommands,
  ...eventCommands,
  ...webhookCommands,
  ...importCommands,
];
