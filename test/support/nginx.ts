import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, waitUntil } from './processes';

/** Debian's nginx, when installed (`.ci/run` installs it); tests that need it skip with a message otherwise. */
export const nginxBinary = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => {
  try {
    execFileSync(path, ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
});

export interface ReverseProxy {
  url: string;
  stop(): Promise<void>;
}

/**
 * A real nginx in front of `upstream`, as an operator would put it: it appends the address it received each
 * request from to X-Forwarded-For, and connects upstream from `bindAddress` (a loopback address of its own, so
 * that the control plane can tell the proxy from its clients, who connect from other loopback addresses).
 * One process (`master_process off`), listening on 127.0.0.1 only, everything in `dir`.
 */
export async function startNginx(options: {
  upstream: string;
  bindAddress: string;
  dir: string;
}): Promise<ReverseProxy> {
  if (!nginxBinary) throw new Error('nginx is not installed (apt-get install nginx)');
  const port = await freePort();
  const upstream = new URL(options.upstream);
  const conf = join(options.dir, 'nginx.conf');
  const temp = (name: string) => `${name}_temp_path ${join(options.dir, name)};`;
  writeFileSync(
    conf,
    `daemon off;
master_process off;
pid ${join(options.dir, 'nginx.pid')};
error_log stderr warn;
events { worker_connections 256; }
http {
  access_log off;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://${upstream.host};
      proxy_bind ${options.bindAddress};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
  }
}
`,
  );
  const child: ChildProcess = spawn(nginxBinary, ['-c', conf, '-p', options.dir, '-e', 'stderr'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = once(child, 'exit');
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntil(
      async () => {
        if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
        return (await fetch(`${url}/healthz`).catch(() => undefined))?.status === 200;
      },
      10_000,
      'nginx answering /healthz',
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
