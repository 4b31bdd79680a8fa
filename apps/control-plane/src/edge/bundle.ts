import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';

/** The production Worker entry. */
export const workerEntry = fileURLToPath(new URL('../worker.ts', import.meta.url));

export interface WorkerBundle {
  code: string;
  /** Every module that went into the bundle, for checks such as "no Node-only module". */
  metafile: Metafile;
}

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
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no Worker bundle');
  return { code: output.text, metafile: result.metafile };
}
