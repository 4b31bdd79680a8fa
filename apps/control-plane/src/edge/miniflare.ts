import type { FleetDb } from '@kurento-fleet/db';
import { d1Client } from '@kurento-fleet/db/d1';
import { applyMigrations } from '@kurento-fleet/db/migrations';
import { readMigrations } from '@kurento-fleet/db/node';
import { Miniflare } from 'miniflare';
import { configVariables, fleetDbSettings, parseConfig } from '../env';
import { bundleWorker, workerEntry } from './bundle';

const compatibilityDate = '2025-12-01';

export interface LocalWorker {
  url: URL;
  mf: Miniflare;
  /** The Worker's D1 database, reached from Node (migrations, the admin token, checks). */
  db: FleetDb;
}

/**
 * Runs a Worker entry in the real workerd runtime through miniflare, with a local D1 database persisted under
 * `stateDir` (or in memory), migrated from the same drizzle/ folder as the Node entry.
 */
export async function startLocalWorker(options: {
  /** The configuration's variables, as the environment gives them: validated here, handed over as bindings. */
  variables: Record<string, string | undefined>;
  stateDir?: string | undefined;
  entry?: string;
  /**
   * Where the Worker's own log lines go (its JSON lines, one by one). Absent: nowhere, as miniflare drops a
   * Worker's console unless asked.
   */
  workerLog?: (line: string) => void;
}): Promise<LocalWorker> {
  const config = parseConfig(options.variables);
  const { code } = await bundleWorker(options.entry ?? workerEntry);
  // The same text the Node entry would read, so the Worker parses exactly what was validated here.
  const bindings = configVariables(options.variables);
  const mf = new Miniflare({
    modules: [{ type: 'ESModule', path: 'worker.js', contents: code }],
    compatibilityDate,
    d1Databases: { DB: 'kurento-fleet' },
    ...(options.stateDir === undefined ? {} : { d1Persist: options.stateDir }),
    bindings,
    ...(options.workerLog === undefined
      ? {}
      : {
          structuredWorkerdLogs: true,
          // miniflare checks that the handler returns nothing.
          handleStructuredLogs: ({ message }: { message: string }) => {
            options.workerLog?.(message);
          },
        }),
    host: config.HOST,
    port: config.PORT,
  });
  const url = await mf.ready;
  const client = d1Client(await mf.getD1Database('DB'));
  await applyMigrations(client, readMigrations());
  const db: FleetDb = { client, now: Date.now, ...fleetDbSettings(config) };
  return { url, mf, db };
}
