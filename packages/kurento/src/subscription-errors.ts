import type { MediaObject } from './types';

/**
 * Hears the failure of an event subscription on `object` instead of letting it crash the process.
 *
 * kurento-client emits 'error' on a media object whose subscription fails (its KMS died between the create and
 * the subscribe, say: 40003 through a gateway); Node throws an 'error' event nobody listens to, and the
 * application dies with it. kurento-client's own check refuses an 'error' listener ('error' is not among the
 * type's events), so the check (the one `newListener` listener it puts on each object) is set aside while this
 * listener goes on, then put back.
 */
export function guardSubscriptionErrors(object: MediaObject, onError: (error: unknown) => void): void {
  const checks = object.listeners('newListener') as Array<(...args: unknown[]) => void>;
  for (const check of checks) object.off('newListener', check);
  object.on('error', onError);
  for (const check of checks) object.on('newListener', check);
}
