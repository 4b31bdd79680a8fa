import { stylesheet } from './style';

/** One file the dashboard page loads: its media type and its text. */
export interface Asset {
  contentType: string;
  body: string;
}

/** The page's script: browser/*.ts bundled into one module (see #dashboard-script). */
export const scriptName = 'main.js';
export const scriptContentType = 'text/javascript; charset=utf-8';

/**
 * The page's stylesheet and icon, served as files (not inline) so that the page's Content-Security-Policy can
 * allow 'self' only. They are string constants, not files read at run time, because a Worker has no file system.
 */
export const assets: Record<string, Asset> = {
  'style.css': { contentType: 'text/css; charset=utf-8', body: stylesheet },
  'icon.svg': {
    contentType: 'image/svg+xml',
    body:
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">' +
      '<rect width="16" height="16" rx="3" fill="#1d4ed8"/>' +
      '<rect x="3" y="9" width="2.5" height="4" fill="#fff"/><rect x="6.75" y="6" width="2.5" height="7" fill="#fff"/>' +
      '<rect x="10.5" y="3" width="2.5" height="10" fill="#fff"/></svg>',
  },
};

/** Where an asset is served. */
export const assetPath = (name: string) => `/dashboard/${name}`;
