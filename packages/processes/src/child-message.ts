import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** The next IPC message of `type` from a forked child (messages are `{ type: … }` objects). */
export function nextMessage<M extends { type: string }, T extends M['type']>(
  child: ChildProcess,
  type: T,
): Promise<Extract<M, { type: T }>> {
  return new Promise((resolve) => {
    const listener = (message: M) => {
      if (message.type !== type) return;
      child.off('message', listener);
      resolve(message as Extract<M, { type: T }>);
    };
    child.on('message', listener);
  });
}

/** Asks a forked child to stop (the message `'stop'`), and kills it if it has not exited a few seconds later. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  if (child.connected) child.send('stop');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
