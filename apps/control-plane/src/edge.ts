import { join } from 'node:path';
import { ensureAdminToken } from '@kurento-fleet/db';
import { jsonLogger } from '@kurento-fleet/log';
import { startLocalWorker } from './edge/miniflare';
import { ConfigError, parseConfig } from './env';
import { sealWebhookSecrets } from './webhooks/seal-secrets';

/**
 * `pnpm start:edge`: the Worker build of the control plane in the real workerd runtime (miniflare), with a
 * local D1 database under FLEET_EDGE_STATE_DIR. The same variables as the Node entry, handed over as bindings.
 */
async function main() {
  const log = jsonLogger();
  const config = parseConfig(process.env);
  const stateDir = join(config.FLEET_EDGE_STATE_DIR, 'd1');
  // The Worker's lines join this process's own on stdout, as the Node entry's do.
  const worker = await startLocalWorker({
    variables: process.env,
    stateDir,
    workerLog: (line) => process.stdout.write(`${line}\n`),
  });

  await sealWebhookSecrets(worker.db, log);
  if (config.FLEET_ADMIN_TOKEN === undefined) {
    const token = await ensureAdminToken(worker.db);
    if (token)
      log.info('created the first admin token; store it now, it is not shown again', { adminToken: token });
  }
  // The Worker's cron trigger, run inside workerd as Cloudflare runs it (there every minute): it records the
  // nodes that went silent and delivers the outbox to webhooks (retries included). One at a time.
  const cron = await worker.mf.getWorker();
  let sweeping = false;
  const sweep = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    cron
      .scheduled({ cron: '* * * * *' })
      .catch((error) => log.error('scheduled run failed', { error: String(error) }))
      .finally(() => {
        sweeping = false;
      });
  }, config.FLEET_HEARTBEAT_INTERVAL_MS);

  const url = worker.url.origin;
  log.info('control plane listening', {
    url,
    port: Number(worker.url.port),
    runtime: 'workerd',
    state: stateDir,
  });

  const stop = async (signal: string) => {
    log.info('stopping', { signal });
    clearInterval(sweep);
    await worker.mf.dispose();
    process.exit(0);
  };
  // miniflare's exit-hook exits with 143 on SIGTERM before an async dispose could finish; this handler
  // disposes workerd itself, then exits 0 like the Node entry.
  process.removeAllListeners('SIGTERM');
  process.removeAllListeners('SIGINT');
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
