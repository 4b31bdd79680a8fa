/**
 * A parser of the text/event-stream format (the HTML standard's "event stream interpretation"), for a stream
 * read with fetch: EventSource cannot send an Authorization header, and the dashboard's token goes nowhere
 * else. Pure (no DOM), so that it is tested on its own.
 */

/** One dispatched event: `event` defaults to "message"; `id` is the last id the stream set, if any. */
export interface SseMessage {
  id: string | undefined;
  event: string;
  data: string;
}

/** Feeds decoded text in chunks of any size; returns the events that each chunk completes. */
export class SseParser {
  #buffer = '';
  #data: string[] = [];
  #event = '';
  #id: string | undefined;
  #afterCr = false;

  push(text: string): SseMessage[] {
    // A CR that ended the last chunk ended its line; an LF opening this one is the rest of that CRLF.
    this.#buffer += this.#afterCr && text.startsWith('\n') ? text.slice(1) : text;
    this.#afterCr = false;
    const messages: SseMessage[] = [];
    for (;;) {
      const end = this.#buffer.search(/\r\n|\r|\n/);
      if (end < 0) break;
      const line = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + (this.#buffer.startsWith('\r\n', end) ? 2 : 1));
      if (this.#buffer === '' && text.endsWith('\r')) this.#afterCr = true;
      const message = this.#line(line);
      if (message) messages.push(message);
    }
    return messages;
  }

  #line(line: string): SseMessage | null {
    if (line === '') return this.#dispatch();
    // A comment: servers send them to keep proxies from closing an idle stream.
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#event = value;
    else if (field === 'id' && !value.includes('\0')) this.#id = value;
    // `retry` and unknown fields are ignored: the reconnection policy is the feed's own.
    return null;
  }

  #dispatch(): SseMessage | null {
    const data = this.#data;
    const event = this.#event;
    this.#data = [];
    this.#event = '';
    if (data.length === 0) return null;
    return { id: this.#id, event: event || 'message', data: data.join('\n') };
  }
}
