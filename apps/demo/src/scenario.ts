import { type EventWatch, watchEvents } from './events';
import type { DemoFleet, PlannedNode } from './fleet';
import type { DemoOptions } from './options';
import { progressBar } from './progress';
import { formatTable, type HealthEvent, largestGap, type Pick, tally } from './report';

/** The fleet of the demo, and the node whose KMS dies half-way: the heaviest, so that its loss shows. */
const plan: readonly PlannedNode[] = [
  { id: 'a', weight: 5 },
  { id: 'b', weight: 1 },
  { id: 'c', weight: 1 },
];
const victim = 'a';

/** SWRR never lets a node run a whole pick ahead of its share; phase changes (down, up) may add one each. */
const tolerance = 3;

/** Requests in flight at once: the stream's rate, not a flood, is what the demo is about. */
const maxInFlight = 8;

interface Assignment {
  sessionId: string;
  nodeId: string;
  assignedAt: string;
  reassigned: boolean;
}

interface Output {
  /** Live narration and the progress bar (stderr). */
  live: NodeJS.WriteStream;
  /** The report (stdout). */
  report: (line: string) => void;
  /** Ctrl+C: the stream stops at its next step. */
  signal: AbortSignal;
}

const duration = (ms: number) =>
  ms < 1000 ? `${Math.max(0, Math.round(ms))} ms` : `${(ms / 1000).toFixed(2)} s`;

/**
 * The demo's story: every node up; node a's KMS is killed half-way through the stream; the fleet notices, a's
 * sessions are asked for again and move; the KMS comes back and node a takes its share again. Then where the
 * sessions went, against the weights of the nodes that were up.
 */
export async function runScenario(options: DemoOptions, fleet: DemoFleet, out: Output): Promise<void> {
  const total = options.sessions;
  const say = (line: string) => out.live.write(`${line}\n`);
  say(
    `kurento-fleet demo: ${total} sessions at ${options.rate}/s on nodes ${plan.map((n) => `${n.id} (weight ${n.weight})`).join(', ')}`,
  );
  await fleet.start(plan, (text) => say(`  ${text}`));
  say('');

  const progress = progressBar(out.live, total);
  const perNode: Record<string, number> = Object.fromEntries(plan.map((node) => [node.id, 0]));
  const picks: Pick[] = [];
  const t0 = Date.now();
  const at = (ms: number) => `+${((ms - t0) / 1000).toFixed(2)}s`.padStart(7);
  let killedAt: number | undefined;
  let restartedAt: number | undefined;
  let sent = 0;
  let placed = 0;
  let note = '';

  const narrate = (event: HealthEvent) => {
    if (event.nodeId === victim && event.type === 'down' && killedAt !== undefined) {
      progress.event(
        `  ↓ ${at(event.at)}  node ${victim} down, ${duration(event.at - killedAt)} after its KMS died (${event.reason})`,
      );
      note = `${victim} down`;
    } else if (event.nodeId === victim && event.type === 'up' && restartedAt !== undefined) {
      progress.event(
        `  ↑ ${at(event.at)}  node ${victim} up again, ${duration(event.at - restartedAt)} after its KMS was started`,
      );
      note = '';
    } else {
      const mark = { up: '↑', down: '↓', restarted: '⟳' }[event.type];
      progress.event(`  ${mark} ${at(event.at)}  node ${event.nodeId} ${event.type}: ${event.reason ?? ''}`);
    }
  };
  const events: EventWatch = await watchEvents(fleet, narrate);

  let failure: unknown;
  const inFlight = new Set<Promise<void>>();
  const place = async (index: number) => {
    const sessionId = `demo-${index}`;
    const { status, body } = await fleet.api<Assignment>(
      'POST',
      '/v1/sessions',
      { sessionId },
      fleet.appToken,
    );
    if (status !== 201) throw new Error(`placing ${sessionId}: ${status} ${JSON.stringify(body)}`);
    picks.push({ sessionId, nodeId: body.nodeId, at: Date.parse(body.assignedAt), kind: 'new' });
    perNode[body.nodeId] = (perNode[body.nodeId] ?? 0) + 1;
    progress.update(++placed, perNode, note);
  };
  const launch = (index: number) => {
    const request = place(index)
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  };
  const drain = async () => {
    while (inFlight.size > 0) await Promise.all(inFlight);
  };

  let restart: Promise<void> | undefined;
  const backAfterRestart = (e: HealthEvent) =>
    e.nodeId === victim && e.type === 'up' && restartedAt !== undefined && e.at >= restartedAt;
  // The story, by the number of sessions sent: each stage runs with the stream paused at that point.
  const stages = [
    {
      at: Math.floor(total / 2),
      run: async () => {
        // Taken before the kill: the fleet's `down` event can only come after it.
        killedAt = Date.now();
        await fleet.killKms(victim);
        progress.event(`  ✗ ${at(killedAt)}  killed node ${victim}'s KMS (SIGKILL) after ${sent} sessions`);
        note = `${victim}'s KMS dead`;
      },
    },
    {
      at: Math.floor((5 * total) / 8),
      run: async () => {
        const died = killedAt ?? 0;
        await drain();
        if (note !== `${victim} down`) note = `waiting for the fleet to see ${victim} down`;
        const down = await events.waitFor(
          (e) => e.nodeId === victim && e.type === 'down' && e.at >= died,
          15_000,
          `node ${victim} down`,
        );
        await moveSessionsOf(victim, fleet, picks, (line) => progress.event(line), at, {
          killedAt: died,
          downAt: down.at,
        });
        note = `${victim} down`;
        // The KMS comes back while the stream goes on; its agent reports it up once it answers again.
        restartedAt = Date.now();
        progress.event(
          `  ▶ ${at(restartedAt)}  starting node ${victim}'s KMS again (a new process, no media state)`,
        );
        restart = fleet.startKms(victim);
      },
    },
    {
      at: Math.floor((7 * total) / 8),
      run: async () => {
        // So that the end of the stream shows the node back in the rotation, however long the restart took.
        if (!events.all.some(backAfterRestart)) {
          note = `holding the last ${total - sent} sessions until ${victim} is back`;
          progress.update(placed, perNode, note);
        }
        await restart;
        await events.waitFor(backAfterRestart, 30_000, `node ${victim} up again`);
      },
    },
  ];

  // The stream's clock: it stops while a stage runs, so the rate does not burst afterwards.
  let anchor = performance.now();
  while (sent < total) {
    if (failure) throw failure;
    out.signal.throwIfAborted();
    const stage = stages[0];
    if (stage && sent === stage.at) {
      const pausedAt = performance.now();
      await stage.run();
      stages.shift();
      anchor += performance.now() - pausedAt;
      continue;
    }
    const due = Math.min(
      stage?.at ?? total,
      Math.floor(((performance.now() - anchor) * options.rate) / 1000) + 1,
    );
    while (sent < due && inFlight.size < maxInFlight) launch(sent++);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await drain();
  if (failure) throw failure;
  const streamEnd = Date.now();
  await events.stop();
  progress.finish();

  await printReport(fleet, out.report, {
    picks,
    events: events.all.filter((e) => e.at >= t0),
    span: { from: t0, to: streamEnd },
    at,
    total,
  });
}

/** Asks again for every session on the dead node: each answer must be a move (200, `reassigned: true`). */
async function moveSessionsOf(
  nodeId: string,
  fleet: DemoFleet,
  picks: Pick[],
  event: (line: string) => void,
  at: (ms: number) => string,
  times: { killedAt: number; downAt: number },
): Promise<void> {
  const onNode = picks.filter((pick) => pick.nodeId === nodeId);
  const late = onNode.filter((pick) => pick.at >= times.killedAt && pick.at < times.downAt).length;
  const movedTo: Record<string, number> = {};
  for (let i = 0; i < onNode.length; i += maxInFlight) {
    await Promise.all(
      onNode.slice(i, i + maxInFlight).map(async ({ sessionId }) => {
        const { status, body } = await fleet.api<Assignment>(
          'POST',
          '/v1/sessions',
          { sessionId },
          fleet.appToken,
        );
        if (status !== 200 || !body.reassigned)
          throw new Error(`asking again for ${sessionId}: ${status} ${JSON.stringify(body)}`);
        picks.push({ sessionId, nodeId: body.nodeId, at: Date.parse(body.assignedAt), kind: 'moved' });
        movedTo[body.nodeId] = (movedTo[body.nodeId] ?? 0) + 1;
      }),
    );
  }
  const where = Object.entries(movedTo)
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([id, count]) => `${id} ${count}`)
    .join(', ');
  event(
    `  ↻ ${at(Date.now())}  asked again for node ${nodeId}'s ${onNode.length} sessions: all moved (reassigned: true) → ${where}`,
  );
  if (late > 0)
    event(`              ${late} of them were placed after the KMS died, before the fleet saw it down`);
}

async function printReport(
  fleet: DemoFleet,
  print: (line: string) => void,
  run: {
    picks: Pick[];
    events: HealthEvent[];
    span: { from: number; to: number };
    at: (ms: number) => string;
    total: number;
  },
): Promise<void> {
  const weights = Object.fromEntries(plan.map((node) => [node.id, node.weight]));
  const rows = tally(weights, run.picks, run.events, run.span);
  const holdsNow = Object.fromEntries((await fleet.nodes()).map((node) => [node.id, node.activeSessions]));
  const gap = largestGap(rows);
  const moved = run.picks.filter((pick) => pick.kind === 'moved').length;

  print('');
  print(
    `Where ${run.total} new sessions went (smooth weighted round robin, weights ${plan.map((n) => `${n.id} ${n.weight}`).join(', ')})`,
  );
  print('');
  for (const line of formatTable(rows, holdsNow)) print(`  ${line}`);
  print('');
  print(
    '  expected: each session counts for the nodes up when it was placed, in proportion to their weights',
  );
  print(`  moved in: ${moved} sessions of node ${victim}, asked for again while it was down`);
  print(
    gap <= tolerance
      ? `  ✓ every node within ${gap.toFixed(1)} sessions of its expected share`
      : `  ✗ a node is ${gap.toFixed(1)} sessions away from its expected share (more than ${tolerance})`,
  );
  print('');
  print('Health events (GET /v1/events)');
  for (const event of run.events)
    print(`  ${run.at(event.at)}  ${event.nodeId}  ${event.type.padEnd(9)}  ${event.reason ?? ''}`);

  const metrics = await fleet.api<string>('GET', '/metrics');
  if (metrics.status === 200) {
    const outcomes: Record<string, number> = { new: 0, sticky: 0, reassigned: 0, refused: 0 };
    for (const match of metrics.body.matchAll(/^fleet_assignments_total\{[^}]*outcome="(\w+)"\} (\d+)$/gm))
      outcomes[match[1] ?? ''] = (outcomes[match[1] ?? ''] ?? 0) + Number(match[2]);
    print('');
    print(
      `Prometheus (GET /metrics): fleet_assignments_total ${Object.entries(outcomes)
        .map(([outcome, count]) => `${outcome} ${count}`)
        .join(', ')}`,
    );
  }
}
