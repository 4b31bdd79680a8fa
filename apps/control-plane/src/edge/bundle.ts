import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';
import { buildDashboardScript } from '../dashboard/build-script';

/** The production Worker entry. */
export const workerEntry = fileURLToPath(new URL('../worker.ts', import.meta.url));

export interface WorkerBundle {
  code: string;
  /** Every module that went into the bundle, for checks such as "no Node-only module". */
  metafile: Metafile;
}

/**
 * Loads Scalar's standalone.js as text (see docs/scalar-embedded.ts), as the `rules` of wrangler.jsonc do
 * for a deployment: the Worker serves it to browsers, it never runs it.
 */
const scalarAsText: Plugin = {
  name: 'scalar-as-text',
  setup(build) {
    build.onLoad(
      { filter: /[\\/]@scalar[\\/]api-reference[\\/]dist[\\/]browser[\\/]standalone\.js$/ },
      async (args) => ({
        contents: await readFile(args.path, 'utf8'),
        loader: 'text',
      }),
    );
  },
};

/**
 * Embeds the dashboard's script, bundled now from browser/*.ts, where dashboard/script.embedded.ts imports the
 * generated file that a wrangler deployment writes first (wrangler.jsonc `build`): the Worker under test always
 * carries the current browser code, and no file needs to exist.
 */
const dashboardScriptEmbedded: Plugin = {
  name: 'dashboard-script',
  setup(build) {
    build.onResolve({ filter: /[\\/]generated[\\/]dashboard-script\.js$/ }, (args) => ({
      path: args.path,
      namespace: 'dashboard-script',
    }));
    build.onLoad({ filter: /.*/, namespace: 'dashboard-script' }, async () => ({
      contents: await buildDashboardScript(),
      loader: 'text',
    }));
  },
};

/**
 * Bundles a Worker entry into one ES module. `platform: 'neutral'` resolves no Node built-in, so a `node:`
 * import anywhere in the module graph fails the build instead of reaching the edge.
 */
export async function bundleWorker(entry = workerEntry): Promise<WorkerBundle> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [scalarAsText, dashboardScriptEmbedded],
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no Worker bundle');
  return { code: output.text, metafile: result.metafile };
}
