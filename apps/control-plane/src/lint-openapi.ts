import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqlClient } from '@kurento-fleet/db';
import { silentLogger } from '@kurento-fleet/log';
import { createApp } from './app';

/**
 * `pnpm lint:openapi`: the OpenAPI document exactly as the server serves it (both variants: /metrics behind a
 * token, and public), linted by Redocly CLI with apps/control-plane/redocly.yaml. Exits non-zero on any error.
 */
const noDatabase: SqlClient = {
  batch: () => Promise.reject(new Error('the document needs no database')),
  query: () => Promise.reject(new Error('the document needs no database')),
};

async function servedDocument(metricsPublic: boolean): Promise<string> {
  const app = createApp({
    db: { client: noDatabase, now: Date.now, heartbeatTimeoutMs: 6000 },
    heartbeatIntervalMs: 2000,
    log: silentLogger,
    metricsPublic,
  });
  const response = await app.request('/openapi.json');
  if (response.status !== 200) throw new Error(`GET /openapi.json answered ${response.status}`);
  return response.text();
}

const dir = mkdtempSync(join(tmpdir(), 'fleet-openapi-'));
try {
  const files = [];
  for (const metricsPublic of [false, true]) {
    const file = join(dir, metricsPublic ? 'openapi-public-metrics.json' : 'openapi.json');
    writeFileSync(file, await servedDocument(metricsPublic));
    files.push(file);
  }
  const cli = join(
    dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')),
    'bin/cli.js',
  );
  const config = fileURLToPath(new URL('../redocly.yaml', import.meta.url));
  const result = spawnSync(
    process.execPath,
    [cli, 'lint', '--config', config, '--format', 'stylish', ...files],
    {
      stdio: 'inherit',
      // Offline and quiet: no usage data sent, no update check.
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    },
  );
  process.exitCode = result.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
