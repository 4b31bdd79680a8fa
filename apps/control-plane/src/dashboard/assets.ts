import { apiModule } from './browser/api';
import { chartModule } from './browser/chart';
import { domModule } from './browser/dom';
import { eventsModule } from './browser/events';
import { mainModule } from './browser/main';
import { nodesTableModule } from './browser/nodes-table';
import { stylesheet } from './style';

/** One file the dashboard page loads: its media type and its text. */
export interface Asset {
  contentType: string;
  body: string;
}

const js = (body: string): Asset => ({ contentType: 'text/javascript; charset=utf-8', body });

/**
 * The page's scripts, stylesheet and icon, served as files (not inline) so that the page's Content-Security-Policy
 * can allow 'self' only. They are string constants, not files read at run time, because a Worker has no file
 * system; the browser modules import one another by these names.
 */
export const assets: Record<string, Asset> = {
  'main.js': js(mainModule),
  'api.js': js(apiModule),
  'dom.js': js(domModule),
  'nodes-table.js': js(nodesTableModule),
  'chart.js': js(chartModule),
  'events.js': js(eventsModule),
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
