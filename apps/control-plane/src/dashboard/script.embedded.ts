// The dashboard's script in a Worker, which cannot run esbuild: bundled ahead of time and embedded in the
// Worker's code. Chosen by the `#dashboard-script` import of package.json under the `workerd` condition, which
// wrangler and edge/bundle.ts resolve with. generated/dashboard-script.js is written by build-script-file.ts,
// the `build.command` of wrangler.jsonc (so `wrangler deploy` builds it first); edge/bundle.ts provides it
// fresh instead, whatever is on disk.
import script from './generated/dashboard-script.js';

/** The dashboard's script, as it was bundled with the Worker. */
export const dashboardScript = async (): Promise<string> => script;
