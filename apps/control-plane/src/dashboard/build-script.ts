import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The entry of the dashboard's browser modules. */
const browserEntry = fileURLToPath(new URL('./browser/main.ts', import.meta.url));

/**
 * Bundles the dashboard's browser modules (browser/*.ts) into the one script the page loads,
 * `/dashboard/main.js`: an ES module for current browsers, types stripped, nothing left to import. Node-only
 * (esbuild): the Node entry runs it on the first request (script.node.ts); a Worker embeds its output at build
 * time (script.embedded.ts).
 */
export async function buildDashboardScript(): Promise<string> {
  const result = await build({
    entryPoints: [browserEntry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no dashboard script');
  return output.text;
}
