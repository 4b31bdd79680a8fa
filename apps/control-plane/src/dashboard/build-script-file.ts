/**
 * Writes generated/dashboard-script.js, the dashboard's bundled script as an ES module whose default export is
 * the text, for a Worker build that cannot run esbuild itself: wrangler.jsonc runs this as its `build.command`
 * before every `wrangler deploy` (and `--dry-run`).
 *
 *   node --import tsx src/dashboard/build-script-file.ts      (from apps/control-plane)
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildDashboardScript } from './build-script';

const target = new URL('./generated/dashboard-script.js', import.meta.url);
await mkdir(new URL('.', target), { recursive: true });
await writeFile(target, `export default ${JSON.stringify(await buildDashboardScript())};\n`);
console.log(`wrote ${fileURLToPath(target)}`);
