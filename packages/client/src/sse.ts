/**
 * A reader of `text/event-stream` bodies, as the WHATWG HTML standard parses them (the part EventSource
 * implements), for fetch: EventSource cannot send an Authorization header. No Node-only module, so a browser
 * bundle can use it too.
 */

/** One dispatched message; `lastEventId` is the stream's position after it (what Last-Event-ID resumes from). */
export interface SseMessage {
  event: string;
  data: string;
  lastEventId: string;
}

export interface SseReader {
  /** The messages, in order; ends when the body ends. Comment lines (`: …`) are not messages. */
  messages: AsyncGenerator<SseMessage, void, undefined>;
  /** The last id the stream set, even by a block without data (a position without an event). */
  readonly lastEventId: string;
  /** Stops reading: the body is cancelled, and a pending `next()` of `messages` ends. */
  close(): Promise<void>;
}

/** Reads `body` as an event stream; `onComment` sees each comment line (keep-alives), without its colon. */
export function readEventStream(
  body: ReadableStream<Uint8Array>,
  options: { lastEventId?: string; onComment?: (text: string) => void } = {},
): SseReader {
  const state = { lastEventId: options.lastEventId ?? '' };
  const reader = body.getReader();
  async function* messages(): AsyncGenerator<SseMessage, void, undefined> {
    const decoder = new TextDecoder();
    let buffered = '';
    let event = '';
    let data: string[] = [];
    let id: string | undefined;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        buffered += done ? decoder.decode() : decoder.decode(value, { stream: true });
        // A line ends at CRLF, LF or CR; a CR last in the buffer may be the start of a CRLF, so it waits.
        const lines = buffered.split(done ? /\r\n|\n|\r/ : /\r\n|\n|\r(?!$)/);
        buffered = done ? '' : (lines.pop() ?? '');
        for (const line of lines) {
          if (line === '') {
            // Dispatch: the id applies even without data, which is how a stream states its position.
            if (id !== undefined) state.lastEventId = id;
            id = undefined;
            if (data.length > 0)
              yield { event: event || 'message', data: data.join('\n'), lastEventId: state.lastEventId };
            event = '';
            data = [];
            continue;
          }
          if (line.startsWith(':')) {
            options.onComment?.(line.slice(1).trimStart());
            continue;
          }
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') event = value;
          else if (field === 'data') data.push(value);
          else if (field === 'id' && !value.includes('\0')) id = value;
        }
        if (done) return;
      }
    } finally {
      await reader.cancel().catch(() => {});
    }
  }
  return {
    messages: messages(),
    get lastEventId() {
      return state.lastEventId;
    },
    close: () => reader.cancel().catch(() => {}),
  };
}
