import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorker } from '@kurento-fleet/control-plane/edge/bundle';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './support/control-plane';
import { tempDir } from './support/temp-dir';

const nodeOnly =
  /\bfrom\s*["'](node:[\w/]+)["']|\brequire\(\s*["'](node:[\w/]+|fs|path|os|child_process)["']\s*\)/;

describe('the Worker bundle', () => {
  const out = tempDir('fleet-worker-');
  afterAll(() => out.remove());

  it('builds with wrangler (as a deployment would) and contains no Node-only module', () => {
    // From the control plane's folder, as the README's deploy steps run it (its `build` command runs there).
    const controlPlane = join(repoRoot, 'apps/control-plane');
    rmSync(join(controlPlane, 'src/dashboard/generated/dashboard-script.js'), { force: true });
    const result = spawnSync(
      process.execPath,
      [
        join(controlPlane, 'node_modules/wrangler/bin/wrangler.js'),
        'deploy',
        '--dry-run',
        '--outdir',
        out.path,
      ],
      {
        cwd: controlPlane,
        encoding: 'utf8',
        env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' },
      },
    );
    expect(result.status, result.stderr + result.stdout).toBe(0);
    const code = readFileSync(join(out.path, 'worker.js'), 'utf8');
    expect(code).toContain('/v1/sessions');
    expect(code.match(nodeOnly)).toBeNull();
    // The dashboard's browser code, bundled by the build command and embedded (a Worker cannot bundle it).
    expect(code).toContain('kurento-fleet.admin-token');
    // A module reference, not the name: comments that mention the Node driver may survive bundling.
    expect(code).not.toMatch(/(?:from\s*|require\(\s*|import\(\s*)["']better-sqlite3["']/);
    // The /docs renderer travels as a text module beside the code (wrangler.jsonc `rules`), never as code.
    const modules = readdirSync(out.path).filter((name) => name.endsWith('.js'));
    expect(modules.filter((name) => name.endsWith('-standalone.js'))).toHaveLength(1);
    // Cloudflare's limit is 10 MiB (3 MiB on the free plan), counted gzipped; this is the uncompressed size.
    const bytes = modules.reduce((sum, name) => sum + statSync(join(out.path, name)).size, 0);
    expect(bytes).toBeLessThan(6 * 1024 * 1024);
  });

  it('has a module graph without better-sqlite3 or any node: import (the bundle start:edge runs)', async () => {
    const { metafile } = await bundleWorker();
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.some((path) => path.includes('apps/control-plane/src/app.ts'))).toBe(true);
    expect(inputs.filter((path) => /better-sqlite3|packages\/db\/src\/node\.ts|node:/.test(path))).toEqual(
      [],
    );
    const imports = Object.values(metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
    expect(imports.filter((path) => path.startsWith('node:'))).toEqual([]);
  });
});
