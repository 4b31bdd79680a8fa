/** @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import { assetPath, scriptName } from './assets';

const columns = [
  'Node',
  'Health',
  'State',
  'Rotation',
  'Weight',
  'Sessions',
  'KMS CPU',
  'Memory',
  'Pipelines',
  'Heartbeat',
  'Actions',
];

/**
 * The dashboard's page: static markup only. It holds no fleet data; the script fills it in after sign-in, so
 * the page can be served without a token. Every section but the header starts hidden and the script decides
 * which one to show (a stored token skips the sign-in form).
 */
const Shell: FC = () => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="referrer" content="no-referrer" />
      <title>kurento-fleet dashboard</title>
      <link rel="icon" type="image/svg+xml" href={assetPath('icon.svg')} />
      <link rel="stylesheet" href={assetPath('style.css')} />
      <script type="module" src={assetPath(scriptName)} />
    </head>
    <body>
      <header class="top">
        <h1>
          kurento-fleet <span class="subtitle">dashboard</span>
        </h1>
        <p id="updated" class="updated" />
        <button id="sign-out" type="button" class="secondary" hidden>
          Sign out
        </button>
      </header>
      <noscript>
        <p class="card">This dashboard needs JavaScript.</p>
      </noscript>
      <main>
        <section id="sign-in" class="card sign-in" aria-labelledby="sign-in-title" hidden>
          <h2 id="sign-in-title">Sign in</h2>
          <p class="hint">
            Paste an admin token. It is kept in this browser tab only (session storage) and sent only to this
            control plane.
          </p>
          <form id="sign-in-form" method="post">
            <label for="token">Admin token</label>
            <div class="row">
              <input
                id="token"
                name="token"
                type="password"
                autocomplete="off"
                spellcheck={false}
                required
                aria-describedby="sign-in-error"
              />
              <button type="submit">Sign in</button>
            </div>
            <p id="sign-in-error" class="error" role="alert" />
          </form>
        </section>
        <div id="dashboard" hidden>
          <div id="alert" class="alert" role="alert" hidden>
            <span id="alert-text" />
            <button id="alert-close" type="button" class="icon" aria-label="Dismiss the error">
              ×
            </button>
          </div>
          <section class="card" aria-labelledby="nodes-title">
            <div class="card-head">
              <h2 id="nodes-title">Nodes</h2>
              <p id="notice" class="notice" role="status" />
            </div>
            <div class="table-wrap">
              <table id="nodes">
                <thead>
                  <tr>
                    {columns.map((column) => (
                      <th scope="col">{column}</th>
                    ))}
                  </tr>
                </thead>
                <tbody />
              </table>
            </div>
            <p id="nodes-empty" class="hint" hidden>
              No nodes yet: register one with POST /v1/nodes.
            </p>
          </section>
          <section class="card" aria-labelledby="picks-title">
            <h2 id="picks-title">Next placements</h2>
            <ol id="picks" class="picks" aria-describedby="picks-caption" />
            <p id="picks-caption" class="hint picks-caption" />
          </section>
          <div class="columns">
            <section class="card" aria-labelledby="chart-title">
              <h2 id="chart-title">Placements against weights</h2>
              <figure id="chart" class="chart" />
            </section>
            <section class="card" aria-labelledby="events-title">
              <div class="card-head">
                <h2 id="events-title">Live events</h2>
                <p id="feed-status" class="feed-status" role="status" />
              </div>
              <ol id="events" class="events" />
              <p id="events-empty" class="hint" hidden>
                No events yet.
              </p>
            </section>
          </div>
        </div>
      </main>
    </body>
  </html>
);

/**
 * Renders the static shell with hono/jsx unable to find AsyncLocalStorage. hono/jsx renders inside one when it
 * finds it (through `process.getBuiltinModule`, or `process.mainModule.require`, looked up on its first render),
 * and on Node 20 the first AsyncLocalStorage.run turns on an async_hooks init hook for the rest of the process:
 * a tax on every promise of every request afterwards (measured on `POST /v1/sessions`: bench/optimizations.md).
 * The shell is static and synchronous, which hono/jsx's fallback without a store renders exactly the same; and
 * it is the only JSX this app renders, once, here. hono caches what it found on its first render: any JSX added
 * to this process later renders without a store too, so it must stay synchronous (no async components).
 */
function renderWithoutAsyncLocalStorage(render: () => string): string {
  const host = (globalThis as unknown as { process?: object }).process;
  if (!host) return render();
  const names = ['getBuiltinModule', 'mainModule'] as const;
  // Restored exactly as they were: an own property put back, one that was not there (mainModule under an ESM
  // main, getBuiltinModule before Node 20.16) not left behind as `undefined`.
  const saved = names.map((name) => Object.getOwnPropertyDescriptor(host, name));
  for (const name of names)
    Object.defineProperty(host, name, { value: undefined, configurable: true, writable: true });
  try {
    return render();
  } finally {
    names.forEach((name, i) => {
      const descriptor = saved[i];
      if (descriptor) Object.defineProperty(host, name, descriptor);
      else Reflect.deleteProperty(host, name);
    });
  }
}

/** The page as served: the doctype, then the markup. Rendered once, since it never changes. */
export const shellHtml = `<!doctype html>${renderWithoutAsyncLocalStorage(() => String((<Shell />).toString()))}`;
