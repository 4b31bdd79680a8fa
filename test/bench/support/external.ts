import type { Figure } from './report';

/**
 * Figures from the two benchmarks that predate this suite and print their own tables (agent detection,
 * emulator memory): read from their output, so that they stay runnable on their own, unchanged.
 */
export function agentFigures(output: string, heartbeatTimeoutMs: number): Figure[] {
  const row = (name: string) => {
    const match = new RegExp(`\\| ${name}\\s*\\|\\s*(\\d+) ms \\|\\s*(\\d+) ms \\|\\s*(\\d+) ms \\|`).exec(
      output,
    );
    if (!match) throw new Error(`agent benchmark: no "${name}" row in its output`);
    return { min: Number(match[1]), median: Number(match[2]), max: Number(match[3]) };
  };
  const down = row('kill → node down');
  const up = row('restart → node up');
  const baseline = {
    name: 'heartbeat timeout (detection without the agent)',
    value: heartbeatTimeoutMs,
    unit: 'ms',
  };
  return [
    {
      bench: 'agent',
      figure: 'dead KMS detected (kill → node down), median',
      value: down.median,
      unit: 'ms',
      baseline,
      ratio: heartbeatTimeoutMs / down.median,
      note: `min ${down.min} ms, max ${down.max} ms; ratio = how many times sooner than the timeout`,
    },
    {
      bench: 'agent',
      figure: 'restarted KMS back (restart → node up), median',
      value: up.median,
      unit: 'ms',
      note: `min ${up.min} ms, max ${up.max} ms`,
    },
  ];
}

export function emulatorFigures(output: string): Figure[] {
  const heap = /heap used\s+([\d.]+) MiB empty → ([\d.]+) MiB loaded: ([\d.]+) KiB per pipeline/.exec(output);
  const rss = /RSS\s+([\d.]+) MiB empty → ([\d.]+) MiB loaded: ([\d.]+) KiB per pipeline/.exec(output);
  const count = /benchmark: (\d+) pipelines/.exec(output)?.[1] ?? '?';
  if (!heap || !rss) throw new Error('emulator benchmark: no memory lines in its output');
  return [
    {
      bench: 'emulator',
      figure: 'heap per pipeline (4 elements)',
      value: Number(heap[3]),
      unit: 'KiB',
      note: `${count} pipelines: ${heap[1]} MiB empty → ${heap[2]} MiB loaded`,
    },
    {
      bench: 'emulator',
      figure: 'RSS per pipeline (4 elements)',
      value: Number(rss[3]),
      unit: 'KiB',
      note: `${count} pipelines: ${rss[1]} MiB empty → ${rss[2]} MiB loaded`,
    },
  ];
}
