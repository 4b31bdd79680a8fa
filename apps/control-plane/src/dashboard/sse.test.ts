import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SseParser } from './browser/sse';

/** The dashboard's text/event-stream parser, on its own (the browser runs the same module, bundled). */
describe('SseParser', () => {
  it('reads id, event and data lines, joins data lines, and skips comments', () => {
    const parser = new SseParser();
    const text =
      ': keep-alive\n\nid: 7\nevent: node.down\ndata: {"a":1}\n\n: another comment\nid: 8\nevent: session.placed\ndata: line one\ndata: line two\n\n';
    expect(parser.push(text)).toEqual([
      { id: '7', event: 'node.down', data: '{"a":1}' },
      { id: '8', event: 'session.placed', data: 'line one\nline two' },
    ]);
  });

  it('keeps the last id for events without one, defaults the type, and ignores retry and unknown fields', () => {
    const parser = new SseParser();
    expect(parser.push('id: 3\ndata: x\n\nretry: 5000\nfoo: bar\ndata:y\n\nevent\ndata\n\n')).toEqual([
      { id: '3', event: 'message', data: 'x' },
      { id: '3', event: 'message', data: 'y' },
      { id: '3', event: 'message', data: '' },
    ]);
  });

  it('dispatches nothing for a block without data, nor for an unfinished one', () => {
    const parser = new SseParser();
    expect(parser.push('id: 1\nevent: x\n\n')).toEqual([]);
    expect(parser.push('data: half')).toEqual([]);
    expect(parser.push('\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ id: '1', event: 'message', data: 'half' }]);
  });

  it('reads the same events however the text is cut into chunks and whatever line ends it uses', () => {
    const events = [
      { id: '1', event: 'node.up', data: '{"id":"1","data":{"reason":"a: b"}}' },
      { id: '2', event: 'node.ejected', data: '{"id":"2"}' },
      { id: '10', event: 'session.moved', data: 'x\ny' },
    ];
    fc.assert(
      fc.property(
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 12 }),
        (eol, cuts) => {
          const text = events
            .map(
              (e) =>
                `: ping${eol}id: ${e.id}${eol}event: ${e.event}${eol}${e.data
                  .split('\n')
                  .map((d) => `data: ${d}${eol}`)
                  .join('')}${eol}`,
            )
            .join('');
          const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const parser = new SseParser();
          const seen = [];
          let from = 0;
          for (const point of [...points, text.length]) {
            seen.push(...parser.push(text.slice(from, point)));
            from = point;
          }
          expect(seen).toEqual(events);
        },
      ),
    );
  });
});
