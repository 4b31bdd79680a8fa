/**
 * Summarizes a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most self time, and the total
 * time under a few frames of interest, so that a profile can be read without DevTools.
 *
 *   npx -y pnpm@10.34.8 exec tsx test/bench/profile-summary.ts <file.cpuprofile> [top=25] [last seconds]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * Self and inclusive time per function (µs), keyed by `name file:line:column`; only the samples of the last
 * `lastMs` when given (the load phase of a bench, without the start and the setup before it).
 */
export function summarize(
  profile: Profile,
  lastMs = Number.POSITIVE_INFINITY,
): {
  self: Map<string, number>;
  total: Map<string, number>;
  all: number;
} {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const key = (node: ProfileNode) => {
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const file = url.replace(/^.*\/(node_modules\/\.pnpm\/[^/]+\/node_modules\/|work\/[^/]+\/)/, '');
    // tsx puts a whole module on one line: the column tells its functions apart.
    return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}:${columnNumber + 1}`;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let all = 0;
  const span = profile.timeDeltas.reduce((sum, dt) => sum + dt, 0);
  let at = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    at += dt;
    if (span - at > lastMs * 1000) return;
    all += dt;
    const node = byId.get(id);
    if (!node) return;
    self.set(key(node), (self.get(key(node)) ?? 0) + dt);
    // Each function once per sample, however deep its recursion.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at);
      if (!frame) break;
      const k = key(frame);
      if (!seen.has(k)) total.set(k, (total.get(k) ?? 0) + dt);
      seen.add(k);
    }
  });
  return { self, total, all };
}

function top(map: Map<string, number>, all: number, count: number): string[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(
      ([name, us]) =>
        `${((100 * us) / all).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`,
    );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, count = '25', lastSeconds] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top] [last seconds]');
  const { self, total, all } = summarize(
    JSON.parse(readFileSync(file, 'utf8')) as Profile,
    lastSeconds === undefined ? undefined : Number(lastSeconds) * 1000,
  );
  process.stdout.write(`${file}: ${(all / 1000).toFixed(0)} ms sampled\n\nself time:\n`);
  process.stdout.write(`${top(self, all, Number(count)).join('\n')}\n\ninclusive time:\n`);
  process.stdout.write(`${top(total, all, Number(count)).join('\n')}\n`);
}
