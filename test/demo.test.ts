import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { spawnTsx, type TsxProcess } from './support/processes';

/** Runs `pnpm demo`'s entry as a process; resolves with its exit code and every line it printed. */
async function runDemo(env: Record<string, string>, args: string[] = []) {
  const demo = spawnTsx('apps/demo/src/main.ts', args, env);
  const [code] = (await once(demo.child, 'exit')) as [number | null];
  return { code, lines: demo.lines, text: demo.lines.join('\n') };
}

/** Whether something still listens on 127.0.0.1:port. */
async function listening(port: number): Promise<boolean> {
  const socket = connect(port, '127.0.0.1');
  try {
    await once(socket, 'connect');
    return true;
  } catch {
    return false;
  } finally {
    socket.destroy();
  }
}

/** Every port the demo's processes served: the control plane's and the KMS emulators'. */
const portsOf = (text: string) =>
  [...text.matchAll(/127\.0\.0\.1:(\d+)/g)]
    .map((match) => Number(match[1]))
    .filter((p, i, all) => all.indexOf(p) === i);

interface Row {
  node: string;
  weight: number;
  expectedPercent: number;
  placed: number;
  actualPercent: number;
  movedIn: number;
  holdsNow: number;
}

function table(text: string): Row[] {
  return [
    ...text.matchAll(/^ {2}([abc])\s+(\d+)\s+\d+%\s+([\d.]+)%\s+(\d+)\s+([\d.]+)%\s+(\d+)\s+(\d+)$/gm),
  ].map((m) => ({
    node: m[1]!,
    weight: Number(m[2]),
    expectedPercent: Number(m[3]),
    placed: Number(m[4]),
    actualPercent: Number(m[5]),
    movedIn: Number(m[6]),
    holdsNow: Number(m[7]),
  }));
}

describe('pnpm demo', () => {
  it('runs the whole story, prints the split against the weights, cleans up and exits 0', async () => {
    const sessions = 60;
    const { code, text } = await runDemo({ DEMO_SESSIONS: String(sessions), DEMO_RATE: '100' });
    expect(code, text).toBe(0);

    expect(text).toMatch(/killed node a's KMS \(SIGKILL\) after 30 sessions/);
    expect(text).toMatch(/node a down, \d+ m?s after its KMS died/);
    const moved = Number(
      /asked again for node a's (\d+) sessions: all moved \(reassigned: true\)/.exec(text)?.[1],
    );
    expect(moved).toBeGreaterThan(0);
    expect(text).toMatch(/node a up again/);

    const rows = table(text);
    expect(rows.map((row) => [row.node, row.weight])).toEqual([
      ['a', 5],
      ['b', 1],
      ['c', 1],
    ]);
    expect(rows.reduce((sum, row) => sum + row.placed, 0)).toBe(sessions);
    // The split follows the weights among the nodes that were up: within 3 sessions of the expectation.
    for (const row of rows) {
      expect(Math.abs(row.placed - (row.expectedPercent * sessions) / 100), row.node).toBeLessThanOrEqual(3);
      expect(row.actualPercent).toBeCloseTo((100 * row.placed) / sessions, 1);
    }
    const [a, b, c] = rows;
    // a was down for part of the stream: less than its 5/7, but it took sessions again once back.
    expect(a!.expectedPercent).toBeLessThan(71.4);
    expect(a!.holdsNow).toBeGreaterThan(0);
    expect(a!.movedIn).toBe(0);
    expect(b!.movedIn + c!.movedIn).toBe(moved);
    expect(Math.abs(b!.movedIn - c!.movedIn)).toBeLessThanOrEqual(1);
    expect(text).toContain('✓ every node within');
    expect(text).toMatch(/\+[\d.]+s {2}a {2}down {7}the agent reports the KMS unreachable/);
    expect(text).toMatch(/fleet_assignments_total new 60, sticky 0, reassigned \d+, refused 0/);

    const ports = portsOf(text);
    expect(ports).toHaveLength(4);
    for (const port of ports) expect(await listening(port), `port ${port}`).toBe(false);
  }, 90_000);

  it('stops every process it started on Ctrl+C', async () => {
    let demo: TsxProcess | undefined;
    try {
      demo = spawnTsx('apps/demo/src/main.ts', ['--sessions', '2000', '--rate', '50'], {});
      await demo.waitForLine((line) => line.includes('sessions  a '), 60_000);
      const ports = portsOf(demo.lines.join('\n'));
      expect(ports).toHaveLength(4);
      const exited = once(demo.child, 'exit');
      demo.child.kill('SIGINT');
      const [code] = (await exited) as [number | null];
      expect(code).toBe(130);
      for (const port of ports) expect(await listening(port), `port ${port}`).toBe(false);
    } finally {
      await demo?.kill();
    }
  }, 90_000);

  it('explains a bad setting and exits 2', async () => {
    const { code, text } = await runDemo({ DEMO_SESSIONS: 'many' });
    expect(code).toBe(2);
    expect(text).toContain("--sessions (DEMO_SESSIONS) must be an integer from 20 to 100000, got 'many'");
  });
});
