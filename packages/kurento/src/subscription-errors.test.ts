import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { guardSubscriptionErrors } from './subscription-errors';
import type { MediaObject } from './types';

/** kurento-client's media object as far as this concerns it: a check on every new listener's event name. */
function mediaObject(events: string[]) {
  const object = new EventEmitter();
  object.on('newListener', (event: string) => {
    if (!events.includes(event)) throw new SyntaxError(`${event} is not a valid event for MediaPipeline`);
  });
  return object as unknown as MediaObject & EventEmitter;
}

describe('guardSubscriptionErrors', () => {
  it('hears the error a failed subscription emits, where it would crash the process unheard', () => {
    const object = mediaObject(['Error']);
    expect(() => object.on('error', () => {})).toThrow(SyntaxError);
    object.removeAllListeners('error');
    expect(() => object.emit('error', new Error('40003'))).toThrow('40003');

    const heard: unknown[] = [];
    guardSubscriptionErrors(object, (error) => heard.push(error));
    object.emit('error', new Error('subscribe failed'));
    expect(heard).toEqual([new Error('subscribe failed')]);
  });

  it('puts kurento-client’s check back: other unknown events are refused as before', () => {
    const object = mediaObject(['Error']);
    guardSubscriptionErrors(object, () => {});
    expect(() => object.on('Nope', () => {})).toThrow(SyntaxError);
    expect(() => object.on('Error', () => {})).not.toThrow();
  });
});
