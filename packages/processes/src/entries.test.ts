import { expect, it } from 'vitest';
import { startAgentProcess } from './entries';
import type { TsxProcess } from './tsx-process';

it('an agent that never logs "agent started" is stopped, not left running with no handle', async () => {
  let killed = false;
  const hung = {
    waitForLine: () => Promise.reject(new Error('no awaited line within 20000 ms')),
    alive: true,
    kill: async () => {
      killed = true;
    },
    stop: async () => null,
  } as unknown as TsxProcess;
  await expect(
    startAgentProcess({
      fleetUrl: 'http://x',
      nodeId: 'a',
      agentToken: 't',
      kmsUri: 'ws://x',
      spawn: () => hung,
    }),
  ).rejects.toThrow(/no awaited line/);
  expect(killed).toBe(true);
});
