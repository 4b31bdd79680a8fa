/**
 * A server under measurement, in its own process so that its heap, RSS and CPU hold nothing but itself:
 * an emulator (signalling only or media mode) or the bare werift loopback the media figures compare with.
 * The benchmark forks this file with `--expose-gc` and talks to it over IPC.
 */
import { fork } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { nextMessage } from '@kurento-fleet/processes';
import { startKmsEmulator } from '../emulator';
import { startWeriftEcho } from '../testing/werift-echo';

/** What runs in the child. */
export type ServerRole = 'emulator' | 'emulator-media' | 'echo';

export interface Memory {
  heapUsed: number;
  rss: number;
}

type ToChild = { type: 'memory' } | { type: 'cpu'; windowMs: number } | { type: 'stop' };
type FromChild =
  | { type: 'ready'; url: string }
  | { type: 'memory'; memory: Memory }
  | { type: 'cpu'; percent: number };

/** The parent's handle on a server process. */
export interface ServerProcess {
  /** ws://…/kurento for an emulator, the page's http://… for the echo. */
  readonly url: string;
  /** Heap and RSS after two full GCs. */
  memory(): Promise<Memory>;
  /** CPU used over the next `windowMs`, in percent of one core (100 = one core busy). */
  cpuPercent(windowMs: number): Promise<number>;
  stop(): Promise<void>;
}

/** Forks a server process and resolves once it serves. */
export async function forkServer(role: ServerRole): Promise<ServerProcess> {
  const child = fork(fileURLToPath(import.meta.url), [`--role=${role}`], {
    execArgv: ['--expose-gc', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const send = (message: ToChild) => child.send(message);
  const { url } = await nextMessage<FromChild, 'ready'>(child, 'ready');
  return {
    url,
    memory: async () => {
      const reply = nextMessage<FromChild, 'memory'>(child, 'memory');
      send({ type: 'memory' });
      return (await reply).memory;
    },
    cpuPercent: async (windowMs) => {
      const reply = nextMessage<FromChild, 'cpu'>(child, 'cpu');
      send({ type: 'cpu', windowMs });
      return (await reply).percent;
    },
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      send({ type: 'stop' });
      await exited;
    },
  };
}

async function serve(role: ServerRole): Promise<void> {
  let url: string;
  let stop: () => Promise<void>;
  if (role === 'echo') {
    const echo = await startWeriftEcho();
    [url, stop] = [echo.url, () => echo.close()];
  } else {
    const emulator = await startKmsEmulator({ gcIntervalMs: 0, media: role === 'emulator-media' });
    [url, stop] = [emulator.url, () => emulator.stop()];
  }
  const gc = (globalThis as { gc?: () => void }).gc;
  const reply = (message: FromChild) => process.send?.(message);
  process.on('message', async (message: ToChild) => {
    if (message.type === 'memory') {
      gc?.();
      gc?.();
      const { heapUsed, rss } = process.memoryUsage();
      reply({ type: 'memory', memory: { heapUsed, rss } });
    } else if (message.type === 'cpu') {
      const before = process.cpuUsage();
      const started = performance.now();
      await sleep(message.windowMs);
      const used = process.cpuUsage(before);
      const wallUs = (performance.now() - started) * 1000;
      reply({ type: 'cpu', percent: ((used.user + used.system) / wallUs) * 100 });
    } else {
      await stop();
      process.exit(0);
    }
  });
  reply({ type: 'ready', url });
}

const role = process.argv.find((arg) => arg.startsWith('--role='))?.slice('--role='.length);
if (role === 'emulator' || role === 'emulator-media' || role === 'echo') await serve(role);
