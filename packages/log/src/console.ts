import { format } from 'node:util';
import type { Logger } from './logger';

/**
 * Sends everything written through `console` to the logger instead of stdout. kurento-client prints with
 * console.log ("reconnect to server …", "Invalid Session", "Server did not respond to ping message …") and
 * console.trace; in the agent process those lines would break the one-JSON-object-a-line contract of stdout.
 * Returns a function that restores the console.
 */
export function routeConsoleToLogger(log: Logger): () => void {
  const saved = { ...console };
  const to =
    (level: 'debug' | 'warn') =>
    (...args: unknown[]) =>
      log[level](format(...args), { source: 'console' });
  console.log = to('debug');
  console.info = to('debug');
  console.debug = to('debug');
  console.warn = to('warn');
  console.error = to('warn');
  console.trace = to('warn');
  return () => {
    Object.assign(console, saved);
  };
}
