import { buildDashboardScript } from './build-script';

let script: Promise<string> | undefined;

/**
 * The dashboard's script on Node: bundled from browser/*.ts by esbuild on the first request for it (about
 * 50 ms), then kept. A failed build is not kept, so the next request tries again. Chosen over the embedded one by
 * the `#dashboard-script` import of package.json (its `default` condition).
 */
export function dashboardScript(): Promise<string> {
  script ??= buildDashboardScript().catch((error: unknown) => {
    script = undefined;
    throw error;
  });
  return script;
}
