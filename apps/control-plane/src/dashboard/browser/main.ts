/**
 * The page's entry: sign-in and sign-out, the 2 s poll of nodes, placements and events, and the node changes the
 * table asks for. A 401 anywhere returns to the sign-in form.
 */
import type { EventPage, FleetNode, NodeState, Placement } from '@kurento-fleet/client/types';
import { ApiError, api, tokenStore } from './api';
import { renderChart } from './chart';
import { formatTime } from './dom';
import { renderEvents } from './events';
import { createNodesTable } from './nodes-table';

const POLL_MS = 2000;
const PLACEMENTS = 500;

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
let pollFailed = false;

function showSignIn(message?: string): void {
  session++;
  clearTimeout(timer);
  tokenStore.clear();
  table.clear();
  chart.replaceChildren();
  eventsList.replaceChildren();
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
    const [nodes, placements, events] = await Promise.all([
      api<{ nodes: FleetNode[] }>('GET', '/v1/nodes'),
      api<{ placements: Placement[] }>('GET', `/v1/placements?limit=${PLACEMENTS}`),
      api<EventPage>('GET', '/v1/events?limit=10'),
    ]);
    if (mine !== session) return;
    if (changesBefore === changes) table.render(nodes.nodes);
    lastPlacements = placements.placements;
    renderChart(chart, table.nodes(), lastPlacements);
    renderEvents(eventsList, eventsEmpty, events.events);
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
    // The weight shares follow a change at once; the placements follow on the next poll.
    changed: () => renderChart(chart, table.nodes(), lastPlacements),
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
