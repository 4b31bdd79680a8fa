import type { DemoApplication } from './application';
import type { DemoFleet, PlannedNode } from './fleet';
import type { DemoOptions } from './options';
import { Story, type StoryOutput } from './story';
import { printReport } from './summary';

/** The fleet of the demo, and the node whose KMS dies half-way: the heaviest, so that its loss shows. */
const plan: readonly PlannedNode[] = [
  { id: 'a', weight: 5 },
  { id: 'b', weight: 1 },
  { id: 'c', weight: 1 },
];
const victim = 'a';

/** What a finished run leaves: the application (still connected, for --keep) and its errors, if any. */
export interface Outcome {
  application: DemoApplication;
  /** Rooms the application could not open: each an error it saw. */
  failures: string[];
}

/**
 * The whole demo: the fleet and the gateway started, the story told live (stderr), then the report (`report`,
 * stdout): where the pipelines went against the weights of the nodes in rotation, and what the fleet recorded.
 */
export async function runScenario(
  options: DemoOptions,
  fleet: DemoFleet,
  out: StoryOutput & { report: (line: string) => void },
): Promise<Outcome> {
  out.live.write(
    `kurento-fleet demo: ${options.sessions} rooms at ${options.rate}/s through the KMS gateway, on nodes ${plan
      .map((n) => `${n.id} (weight ${n.weight})`)
      .join(', ')}\n`,
  );
  await fleet.start(plan, (text) => out.live.write(`  ${text}\n`));
  out.live.write('\n');

  const story = new Story(
    fleet,
    victim,
    plan.map((node) => node.id),
    options.sessions,
    out,
  );
  const { events, end, application } = await story.run(options.rate);
  try {
    await printReport(fleet, out.report, {
      plan,
      picks: story.picks,
      events,
      span: { from: story.t0, to: end },
      at: story.at,
      total: options.sessions,
      failures: story.failures,
    });
  } catch (error) {
    application.close();
    throw error;
  }
  return { application, failures: story.failures };
}
