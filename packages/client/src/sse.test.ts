import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readEventStream, type SseMessage } from './sse';

/** A body that delivers `chunks` as they are, so that lines and characters may be cut anywhere. */
function body(chunks: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks)
        controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      controller.close();
    },
  });
}

async function read(chunks: (string | Uint8Array)[], lastEventId?: string) {
  const comments: string[] = [];
  const reader = readEventStream(body(chunks), { lastEventId, onComment: (text) => comments.push(text) });
  const messages: SseMessage[] = [];
  for await (const message of reader.messages) messages.push(message);
  return { messages, comments, lastEventId: reader.lastEventId };
}

describe('readEventStream', () => {
  it('reads id, event and data, with LF, CRLF or CR line ends', async () => {
    for (const end of ['\n', '\r\n', '\r']) {
      const text = ['id: 7', 'event: node.down', 'data: {"a":1}', '', 'data: plain', '', ''].join(end);
      expect((await read([text])).messages).toEqual([
        { event: 'node.down', data: '{"a":1}', lastEventId: '7' },
        { event: 'message', data: 'plain', lastEventId: '7' },
      ]);
    }
  });

  it('joins data lines, keeps one space after the colon out, and takes a field without a colon', async () => {
    const { messages } = await read(['data:a\ndata:  b\ndata\n\n']);
    expect(messages).toEqual([{ event: 'message', data: 'a\n b\n', lastEventId: '' }]);
  });

  it('reads a stream cut anywhere, inside a line, a CRLF or a UTF-8 character', async () => {
    const text = 'id: 1\r\nevent: x\r\ndata: é😀\r\n\r\n';
    const bytes = new TextEncoder().encode(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      const { messages } = await read([bytes.slice(0, cut), bytes.slice(cut)]);
      expect(messages, `cut at ${cut}`).toEqual([{ event: 'x', data: 'é😀', lastEventId: '1' }]);
    }
  });

  it('takes an id from a block without data as the position, without a message', async () => {
    const { messages, lastEventId, comments } = await read([': connected\nid: 41\n\n: keepalive\n\n']);
    expect(messages).toEqual([]);
    expect(lastEventId).toBe('41');
    expect(comments).toEqual(['connected', 'keepalive']);
  });

  it('drops a message the stream did not finish, and keeps the position it was given', async () => {
    const { messages, lastEventId } = await read(['id: 9\ndata: half'], '3');
    expect(messages).toEqual([]);
    expect(lastEventId).toBe('3');
  });

  it('ignores unknown fields and an id holding NUL', async () => {
    const { messages } = await read(['retry: 10\nfoo: bar\nid: a\0b\ndata: x\n\n']);
    expect(messages).toEqual([{ event: 'message', data: 'x', lastEventId: '' }]);
  });

  it('reads the same messages however the text is cut into chunks and whatever line ends it uses', async () => {
    const events = [
      { lastEventId: '1', event: 'node.up', data: '{"id":"1","data":{"reason":"a: b"}}' },
      { lastEventId: '2', event: 'node.ejected', data: '{"id":"2"}' },
      { lastEventId: '10', event: 'session.moved', data: 'x\ny' },
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 12 }),
        async (eol, cuts) => {
          const text = events
            .map(
              (e) =>
                `: ping${eol}id: ${e.lastEventId}${eol}event: ${e.event}${eol}${e.data
                  .split('\n')
                  .map((d) => `data: ${d}${eol}`)
                  .join('')}${eol}`,
            )
            .join('');
          const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const chunks = [...points, text.length].map((point, i, all) =>
            text.slice(i ? all[i - 1] : 0, point),
          );
          expect((await read(chunks)).messages).toEqual(
            events.map(({ event, data, lastEventId }) => ({ event, data, lastEventId })),
          );
        },
      ),
    );
  });
});
