import { createRequire } from 'node:module';
import type { KurentoClientModule } from './types';

let loaded: KurentoClientModule | undefined;

/**
 * kurento-client's factory, loaded on first use (so that a caller that passes its own factory needs no
 * kurento-client installed), with its Transaction API made to work on current Node.
 *
 * kurento-client's `Transaction` extends `require('domain').Domain` the ES5 way (`Domain.call(this)`), which
 * throws "Class constructor Domain cannot be invoked without 'new'" since Node made `Domain` a class: every
 * `beginTransaction()` and `transaction(fn)` fails (implicit transactions build no Transaction and are
 * unaffected). When `Domain` is unset it falls back to a small
 * EventEmitter of its own, which is all a transaction needs. It reads `Domain` once, while its modules load, so
 * the property is unset for exactly that moment and put back at once: nothing else in the process sees a change.
 * A copy of kurento-client loaded elsewhere (an app's own, passed as `factory`) does not get this fix.
 */
export function loadKurentoClient(): KurentoClientModule {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const domain = require('node:domain') as { Domain: unknown };
  const original = domain.Domain;
  domain.Domain = undefined;
  try {
    loaded = require('kurento-client') as KurentoClientModule;
  } finally {
    domain.Domain = original;
  }
  return loaded;
}
