import type { Assignment } from '@kurento-fleet/contract';
import { waitUntil } from '@kurento-fleet/processes';
import { DemoApplication, type Room } from './application';
import { type EventWatch, watchEvents } from './events';
import type { DemoFleet } from './fleet';
import { Lane } from './lane';
import { describeLoss, describeRecreation, duration, type Recreation } from './narration';
import { type Progress, progressBar } from './progress';
import type { HealthEvent, Pick } from './report';

/** Rooms being built at once, per lane (the stream, the rebuilding): a rate, not a flood, is the point. */
const maxInFlight = 8;

/** Where the story is told: live narration and the progress bar (stderr); Ctrl+C stops the stream. */
export interface StoryOutput {
  live: NodeJS.WriteStream;
  signal: AbortSignal;
}

/**
 * One run of the demo's story. An application opens rooms through the gateway; `victim`'s KMS is killed
 * half-way through the stream; the application hears it through each lost pipeline's `Error` event and opens
 * those rooms again while new rooms keep opening; the KMS comes back and the node takes its share again.
 */
export class Story {
  readonly picks: Pick[] = [];
  /** Rooms the application could not open: each an error it saw. */
  readonly failures: string[] = [];
  readonly t0 = Date.now();
  private readonly perNode: Record<string, number>;
  private readonly opened: Array<{ room: Room; nodeId: string | undefined }> = [];
  private readonly recreations: Recreation[] = [];
  private readonly stream = new Lane(maxInFlight);
  private readonly rebuilding = new Lane(maxInFlight);
  private readonly progress: Progress;
  private readonly fleet: DemoFleet;
  private readonly victim: string;
  private readonly total: number;
  private readonly out: StoryOutput;
  private events: EventWatch | undefined;
  private application: DemoApplication | undefined;
  private killedAt: number | undefined;
  private restartedAt: number | undefined;
  private sent = 0;
  private note = '';
  private unexpected: unknown;

  constructor(fleet: DemoFleet, victim: string, nodeIds: readonly string[], total: number, out: StoryOutput) {
    this.fleet = fleet;
    this.victim = victim;
    this.total = total;
    this.out = out;
    this.perNode = Object.fromEntries(nodeIds.map((id) => [id, 0]));
    this.progress = progressBar(out.live, total);
  }

  /** `+1.23s`: time since the story began, for every line of it. */
  readonly at = (ms: number) => `+${((ms - this.t0) / 1000).toFixed(2)}s`.padStart(7);

  /**
   * Streams the rooms at `rate` a second, killing the victim's KMS half-way and bringing it back at 5/8 (the
   * stream paused meanwhile, so that the rate does not burst afterwards). Resolves with the fleet's node events
   * and the application, still connected; the caller closes it.
   */
  async run(rate: number): Promise<{ events: HealthEvent[]; end: number; application: DemoApplication }> {
    this.events = await watchEvents(this.fleet, (event) => this.narrate(event));
    const application = await DemoApplication.connect(this.fleet.gatewayUri, (room) => this.lost(room));
    this.application = application;
    try {
      const stages = [
        { at: Math.floor(this.total / 2), run: () => this.kill() },
        { at: Math.floor((5 * this.total) / 8), run: () => this.recover() },
      ];
      let anchor = performance.now();
      while (this.sent < this.total) {
        if (this.unexpected) throw this.unexpected;
        this.out.signal.throwIfAborted();
        const stage = stages[0];
        if (stage && this.sent === stage.at) {
          const pausedAt = performance.now();
          await stage.run();
          stages.shift();
          anchor += performance.now() - pausedAt;
          continue;
        }
        const due = Math.floor(((performance.now() - anchor) * rate) / 1000) + 1;
        while (this.sent < Math.min(stage?.at ?? this.total, due) && !this.stream.full) {
          const name = `room-${++this.sent}`;
          this.stream.push(this.guarded(() => this.open(name, 'new')));
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await this.stream.drain();
      await this.rebuilding.drain();
      if (this.unexpected) throw this.unexpected;
      const end = Date.now();
      await this.events.stop();
      this.progress.update(this.sent, this.perNode);
      this.progress.finish();
      return { events: this.events.all.filter((e) => e.at >= this.t0), end, application };
    } catch (error) {
      application.close();
      await this.events.stop().catch(() => {});
      throw error;
    }
  }

  /** Opens a room; records where the fleet placed its pipeline (asked as soon as it exists). */
  private async open(name: string, kind: Pick['kind']): Promise<string | undefined> {
    let placement: Promise<Assignment | undefined> = Promise.resolve(undefined);
    let room: Room;
    try {
      room = await (this.application as DemoApplication).openRoom(name, (pipelineId) => {
        placement = whereIs(this.fleet, pipelineId);
      });
    } catch (error) {
      this.failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    const assignment = await placement;
    this.opened.push({ room, nodeId: assignment?.nodeId });
    if (!assignment) return undefined;
    const { nodeId, assignedAt } = assignment;
    this.picks.push({ pipelineId: room.pipelineId, nodeId, at: Date.parse(assignedAt), kind });
    this.perNode[nodeId] = (this.perNode[nodeId] ?? 0) + 1;
    this.progress.update(this.sent, this.perNode, this.note);
    return nodeId;
  }

  /** What the application does when a room's KMS dies: open the room again, at once. */
  private lost(room: Room): void {
    const lostAt = room.lost?.at ?? Date.now();
    if (this.recreations.length === 0 && this.killedAt !== undefined)
      this.progress.event(
        `  ⚠ ${this.at(lostAt)}  the application's rooms on ${this.victim} are lost (the first: ${room.lost?.detail}), ` +
          `${duration(lostAt - this.killedAt)} after the kill; it opens them again`,
      );
    const recreation: Recreation = { room, lostAt };
    this.recreations.push(recreation);
    this.rebuilding.push(
      this.guarded(async () => {
        recreation.nodeId = await this.open(room.name, 'recreated');
        recreation.doneAt = Date.now();
      }),
    );
  }

  private async kill(): Promise<void> {
    this.killedAt = Date.now();
    await this.fleet.killKms(this.victim);
    this.progress.event(
      `  ✗ ${this.at(this.killedAt)}  killed node ${this.victim}'s KMS (SIGKILL) after ${this.sent} rooms`,
    );
    this.note = `${this.victim}'s KMS dead`;
  }

  /**
   * With the stream paused: every room of the victim lost and opened again, the fleet's record of the failure
   * (the agent's `down`, the gateway's ejection); then the KMS started again, until the node is back in
   * rotation and the gateway connected to it.
   */
  private async recover(): Promise<void> {
    const { victim, fleet } = this;
    const events = this.events as EventWatch;
    const died = this.killedAt ?? 0;
    await this.stream.drain();
    this.note = `waiting for ${victim}'s rooms to be lost and opened again`;
    this.progress.update(this.sent, this.perNode, this.note);
    const onVictim = this.opened.filter((entry) => entry.nodeId === victim);
    await waitUntil(async () => onVictim.every((entry) => entry.room.lost), 15_000, `${victim}'s rooms lost`);
    await this.rebuilding.drain();
    const since = (type: HealthEvent['type']) => (e: HealthEvent) =>
      e.nodeId === victim && e.type === type && e.at >= died;
    await events.waitFor(since('down'), 15_000, `node ${victim} down`);
    await events.waitFor(since('ejected'), 15_000, `the gateway's report of node ${victim}`);
    this.progress.event(`  ${describeLoss(this.recreations, died)}`);
    this.progress.event(
      `  ↻ ${this.at(Date.now())}  ${describeRecreation(this.recreations, died, maxInFlight)}`,
    );

    const started = Date.now();
    this.restartedAt = started;
    this.progress.event(
      `  ▶ ${this.at(started)}  starting node ${victim}'s KMS again (a new process, no media state)`,
    );
    this.note = `holding the stream until ${victim} is back`;
    await fleet.startKms(victim);
    await events.waitFor((e) => since('up')(e) && e.at >= started, 30_000, `node ${victim} up again`);
    await waitUntil(async () => notEjected(fleet, victim), 30_000, `node ${victim}'s ejection over`);
    // The gateway tries a lost KMS again with a backoff (up to 5 s): a pipeline placed on the node before it is
    // connected would be placed again elsewhere, so the stream waits for it.
    await waitUntil(
      async () => gatewayConnected(fleet, victim),
      30_000,
      `the gateway connected to ${victim}`,
    );
    this.progress.event(
      `  ⇄ ${this.at(Date.now())}  node ${victim} back in rotation and the gateway connected to it, ` +
        `${duration(Date.now() - started)} after its KMS was started`,
    );
    this.note = '';
  }

  private narrate(event: HealthEvent): void {
    const since = (from: number | undefined, what: string) =>
      from === undefined ? '' : `, ${duration(event.at - from)} after ${what}`;
    const line = (mark: string, text: string) =>
      this.progress.event(`  ${mark} ${this.at(event.at)}  ${text}`);
    const node = `node ${event.nodeId}`;
    if (event.type === 'ejected') {
      const how = event.until == null ? `not ejected (${event.why})` : `ejected (${event.why})`;
      line('⊘', `${node} ${how}${since(this.killedAt, 'its KMS died')}: "${event.reason}"`);
    } else if (event.type === 'down') {
      line('↓', `${node} down${since(this.killedAt, 'its KMS died')}: ${event.reason}`);
      this.note = `${event.nodeId} down`;
    } else {
      const mark = event.type === 'up' ? '↑' : '⟳';
      line(mark, `${node} ${event.type}${since(this.restartedAt, 'its KMS was started')}: ${event.reason}`);
    }
  }

  /** A task of a lane: an error that is not the application's stops the story at its next step. */
  private guarded(task: () => Promise<unknown>): () => Promise<void> {
    return async () => {
      await task().catch((error: unknown) => {
        this.unexpected ??= error;
      });
    };
  }
}

/** Where the fleet placed a pipeline: its fleet session is named by the pipeline's id. */
async function whereIs(fleet: DemoFleet, pipelineId: string): Promise<Assignment | undefined> {
  const path = `/v1/sessions/${encodeURIComponent(pipelineId)}`;
  const { status, body } = await fleet.api<Assignment>('GET', path);
  if (status === 404) return undefined; // released already: its KMS died in the meantime
  if (status !== 200) throw new Error(`GET ${path}: ${status} ${JSON.stringify(body)}`);
  return body;
}

async function notEjected(fleet: DemoFleet, nodeId: string): Promise<boolean> {
  const node = (await fleet.nodes()).find((n) => n.id === nodeId);
  return node?.ejectedUntil == null || Date.parse(node.ejectedUntil) <= Date.now();
}

async function gatewayConnected(fleet: DemoFleet, nodeId: string): Promise<boolean> {
  const up = new RegExp(`^fleet_gateway_node_up\\{node="${nodeId}"\\} 1$`, 'm');
  return up.test(await fleet.gatewayMetrics());
}
