import type { OpenAPIHono } from '@hono/zod-openapi';
import { dashboardScript } from '#dashboard-script';
import type { AppEnv } from '../context';
import { assetPath, assets, scriptContentType, scriptName } from './assets';
import { shellHtml } from './shell';

/**
 * Scripts and styles from this origin only, so that injected markup could not run script even if some API data
 * escaped; the API is the only place the page connects to, and it may not be framed (clickjacking) nor post a
 * form anywhere (a sign-in form submitted without the script must not put the token in a URL).
 */
const dashboardCsp = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const pageHeaders = {
  'content-security-policy': dashboardCsp,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  // The shell is tiny; never serving a stale one after an upgrade matters more than caching it.
  'cache-control': 'no-store',
};

/**
 * The operator dashboard: `GET /` (the page shell, open: it holds no fleet data) and its files under
 * `/dashboard/`. The page calls the /v1 API with the admin token the operator signs in with. Plain routes,
 * not OpenAPI ones: they are not part of the API.
 */
export function registerDashboard(app: OpenAPIHono<AppEnv>) {
  app.get('/', (c) => c.html(shellHtml, 200, pageHeaders));
  const fileHeaders = (contentType: string) => ({
    'content-type': contentType,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
  });
  app.get(assetPath(scriptName), async (c) =>
    c.body(await dashboardScript(), 200, fileHeaders(scriptContentType)),
  );
  for (const [name, asset] of Object.entries(assets)) {
    app.get(assetPath(name), (c) => c.body(asset.body, 200, fileHeaders(asset.contentType)));
  }
}
