/**
 * The page's entry: sign-in and sign-out, the 2 s poll of nodes, placements, the preview and the policy, the
 * live event feed, and the node changes the table asks for. A 401 anywhere returns to the sign-in form.
 */
import type {
  EventPage,
  FleetEvent,
  FleetNode,
  NodeState,
  Placement,
  PlacementPolicy,
  PlacementPreview,
} from '@kurento-fleet/client/types';
import { ApiError, api, tokenStore } from './api';
import { renderChart } from './chart';
import { formatTime } from './dom';
import { renderEvents } from './events';
import { type FeedMode, startFeed } from './feed';
import { createNodesTable } from './nodes-table';
import { renderPreview } from './preview';
import { latestByNode } from './rotation';

const POLL_MS = 2000;
const PLACEMENTS = 500;
const PREVIEW = 10;
/** Events the feed keeps on the page, newest first. */
const FEED_SIZE = 50;
/** A change the feed reports refreshes the figures this soon (once for a burst of events). */
const REFRESH_AFTER_EVENT_MS = 300;
const feedLabels: Record<FeedMode, string> = {
  stream: 'live',
  polling: 'polling every 2 s',
  reconnecting: 'reconnecting…',
};

/** An element of the page shell (shell.tsx); a missing one is a bug in the shell, reported at once. */
function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}

const signIn = byId('sign-in');
const signInForm = byId<HTMLFormElement>('sign-in-form');
const tokenInput = byId<HTMLInputElement>('token');
const signInError = byId('sign-in-error');
const dashboard = byId('dashboard');
const signOutButton = byId<HTMLButtonElement>('sign-out');
const updated = byId('updated');
const notice = byId('notice');
const alertBox = byId('alert');
const alertText = byId('alert-text');
const chart = byId('chart');
const eventsList = byId('events');
const eventsEmpty = byId('events-empty');
const feedStatus = byId('feed-status');
const picks = byId('picks');
const picksCaption = byId('picks-caption');

const describe = (error: unknown) => (error instanceof ApiError ? error.describe() : String(error));

function showAlert(message: string): void {
  alertText.textContent = message;
  alertBox.hidden = false;
}

function hideAlert(): void {
  alertBox.hidden = true;
  alertText.textContent = '';
}

byId('alert-close').addEventListener('click', hideAlert);

// Every sign-in and sign-out starts a new session of the page; late answers of an older one are dropped.
let session = 0;
// Bumped by every change made here, so that a poll that started before it cannot paint the old values back.
let changes = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
let lastPlacements: Placement[] = [];
// The policy is the control plane's configuration: read once a sign-in.
let policy: PlacementPolicy | null = null;
let pollFailed = false;
let feed: FleetEvent[] = [];
let stopFeed: (() => void) | undefined;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;

function showSignIn(message?: string): void {
  session++;
  clearTimeout(timer);
  clearTimeout(refreshTimer);
  stopFeed?.();
  stopFeed = undefined;
  tokenStore.clear();
  table.clear();
  chart.replaceChildren();
  eventsList.replaceChildren();
  picks.replaceChildren();
  picksCaption.textContent = '';
  feedStatus.textContent = '';
  feed = [];
  policy = null;
  hideAlert();
  notice.textContent = '';
  updated.textContent = '';
  dashboard.hidden = true;
  signOutButton.hidden = true;
  signIn.hidden = false;
  signInError.textContent = message || '';
  tokenInput.focus();
}

function showDashboard(): void {
  session++;
  signIn.hidden = true;
  tokenInput.value = '';
  signInError.textContent = '';
  dashboard.hidden = false;
  signOutButton.hidden = false;
  poll();
  void openFeed();
}

/** Shows the newest events, then follows the feed from the newest one on. */
async function openFeed(): Promise<void> {
  const mine = session;
  try {
    const recent = await api<EventPage>('GET', `/v1/events?limit=${FEED_SIZE}`);
    if (mine !== session) return;
    feed = recent.events;
    renderEvents(eventsList, eventsEmpty, feed);
    stopFeed = startFeed(feed[0]?.id ?? '0', {
      events(events) {
        if (mine !== session) return;
        feed = [...events].reverse().concat(feed).slice(0, FEED_SIZE);
        renderEvents(eventsList, eventsEmpty, feed);
        // Every event is a change of nodes or sessions: show its effect without waiting for the next poll.
        clearTimeout(refreshTimer);
        refreshTimer = setTimeout(() => void poll(), REFRESH_AFTER_EVENT_MS);
      },
      mode(mode) {
        if (mine !== session) return;
        feedStatus.textContent = feedLabels[mode];
        feedStatus.className = `feed-status feed-${mode}`;
      },
      failed(error) {
        if (mine === session) fail('The event feed stopped', error);
      },
    });
  } catch (error) {
    if (mine === session) fail('Could not read the events', error);
  }
}

/** Reports a failed call; a 401 (token revoked, or the server's admin token changed) ends the sign-in. */
function fail(what: string, error: unknown): void {
  if (error instanceof ApiError && error.status === 401) {
    showSignIn(`Signed out: ${describe(error)}`);
    return;
  }
  showAlert(`${what}: ${describe(error)}`);
}

async function poll(): Promise<void> {
  const mine = session;
  const changesBefore = changes;
  clearTimeout(timer);
  try {
    const [nodes, placements, preview, marks, settings] = await Promise.all([
      api<{ nodes: FleetNode[] }>('GET', '/v1/nodes'),
      api<{ placements: Placement[] }>('GET', `/v1/placements?limit=${PLACEMENTS}`),
      api<PlacementPreview>('GET', `/v1/placements/preview?count=${PREVIEW}`),
      // The reasons behind ejections and the ends of drains, which the rotation column shows.
      api<EventPage>('GET', '/v1/events?types=node.ejected,node.drained&limit=100'),
      policy ?? api<PlacementPolicy>('GET', '/v1/placement-policy'),
    ]);
    if (mine !== session) return;
    policy = settings;
    const view = {
      decision: preview.decision,
      policy,
      ejections: latestByNode(marks.events, (e) => e.type === 'node.ejected' && Boolean(e.data.ejectedUntil)),
      drains: latestByNode(marks.events, (e) => e.type === 'node.drained'),
    };
    if (changesBefore === changes) table.render(nodes.nodes, view);
    lastPlacements = placements.placements;
    renderChart(chart, table.nodes(), lastPlacements, preview.decision);
    renderPreview(picks, picksCaption, preview, policy);
    updated.textContent = `Updated ${formatTime(new Date().toISOString())}`;
    if (pollFailed) hideAlert();
    pollFailed = false;
  } catch (error) {
    if (mine !== session) return;
    pollFailed = true;
    fail('Could not refresh', error);
    if (mine !== session) return;
  }
  timer = setTimeout(poll, POLL_MS);
}

/** PATCH /v1/nodes/{id}; resolves with the node, or null after reporting the error. */
async function patchNode(
  id: string,
  change: { weight: number } | { state: NodeState },
  what: string,
  done: string,
): Promise<FleetNode | null> {
  const mine = session;
  changes++;
  try {
    const node = await api<FleetNode>('PATCH', `/v1/nodes/${encodeURIComponent(id)}`, change);
    if (mine !== session) return null;
    changes++;
    notice.textContent = done;
    if (!pollFailed) hideAlert();
    return node;
  } catch (error) {
    if (mine === session) fail(what, error);
    return null;
  }
}

const table = createNodesTable(
  byId<HTMLTableElement>('nodes').tBodies[0] as HTMLTableSectionElement,
  byId('nodes-empty'),
  {
    setWeight: (id, weight) =>
      patchNode(id, { weight }, `Could not set the weight of ${id}`, `Weight of ${id} set to ${weight}.`),
    setState: (id, state) =>
      patchNode(id, { state }, `Could not change ${id} to ${state}`, `${id} is now ${state}.`),
    // The rotation, the preview and the weight shares follow a change at the next poll, which starts now.
    changed: () => void poll(),
  },
);

signInForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const token = tokenInput.value.trim();
  if (!token) {
    signInError.textContent = 'Enter an admin token.';
    return;
  }
  const button = signInForm.querySelector('button');
  if (button) button.disabled = true;
  signInError.textContent = '';
  try {
    // Any admin-only call proves the token and its role; an app or agent token gets a 403 and its message.
    await api('GET', '/v1/nodes', undefined, token);
    tokenStore.set(token);
    showDashboard();
  } catch (error) {
    signInError.textContent = `Sign-in refused: ${describe(error)}`;
  } finally {
    if (button) button.disabled = false;
  }
});

signOutButton.addEventListener('click', () => showSignIn('Signed out.'));

if (tokenStore.get()) showDashboard();
else showSignIn();
