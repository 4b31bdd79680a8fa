/** The live part of the demo's output: a progress line and the events printed above it. */
export interface Progress {
  /** `done` of the total, and how many pipelines each node got so far. */
  update(done: number, perNode: Readonly<Record<string, number>>, note?: string): void;
  /** A line printed above the progress bar, which is then drawn again. */
  event(line: string): void;
  /** Draws the final state and leaves the bar behind. */
  finish(): void;
}

const width = 30;

/**
 * A progress bar in plain ANSI (carriage return, erase line), redrawn at most every 50 ms. Where the stream is
 * not a terminal (a pipe, a CI log), it degrades to one line every tenth of the way.
 */
export function progressBar(stream: NodeJS.WriteStream, total: number): Progress {
  const tty = stream.isTTY === true;
  let last = '';
  let lastDraw = 0;
  let lastTenth = -1;
  let state = { done: 0, perNode: {} as Readonly<Record<string, number>>, note: '' };

  const text = () => {
    const counts = Object.entries(state.perNode)
      .map(([id, count]) => `${id} ${count}`)
      .join('  ');
    const filled = Math.round((width * state.done) / total);
    const bar = tty ? `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]  ` : '';
    return `  ${bar}${String(state.done).padStart(String(total).length)}/${total} rooms  ${counts}${
      state.note ? `  · ${state.note}` : ''
    }`;
  };
  const draw = (force = false) => {
    if (tty) {
      const now = Date.now();
      if (!force && now - lastDraw < 50) return;
      lastDraw = now;
      last = text();
      stream.write(`\r\x1b[2K${last}`);
      return;
    }
    const tenth = Math.floor((10 * state.done) / total);
    if (tenth !== lastTenth || force) {
      lastTenth = tenth;
      const line = text();
      if (line !== last) stream.write(`${line}\n`);
      last = line;
    }
  };
  return {
    update(done, perNode, note = '') {
      state = { done, perNode, note };
      draw();
    },
    event(line) {
      stream.write(tty ? `\r\x1b[2K${line}\n` : `${line}\n`);
      if (tty && last) draw(true);
    },
    finish() {
      draw(true);
      if (tty) stream.write('\n');
    },
  };
}
