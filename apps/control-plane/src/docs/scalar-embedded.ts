// A text module: wrangler's `rules` (wrangler.jsonc) and the esbuild plugin of edge/bundle.ts embed the file's
// text in the Worker, which has no file system to read it from at run time.
import script from '@scalar/api-reference/browser/standalone.js';

/** The API reference's renderer, embedded in the Worker bundle (1 MiB gzipped), so /docs renders offline. */
export const scalarScriptEmbedded = async (): Promise<string> => script;
