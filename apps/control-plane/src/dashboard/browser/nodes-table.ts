/**
 * Browser module `nodes-table.js`: the nodes table. Rows are kept per node id and updated in place on every
 * poll, so that a weight being typed, the focus and a pending click survive the 2 s refresh.
 */
export const nodesTableModule = `
import { el, formatAge, formatMemory } from './dom.js';

const STATE_ACTIONS = [
  ['active', 'Enable'],
  ['draining', 'Drain'],
  ['disabled', 'Disable'],
];

/**
 * The table body's controller. actions.setWeight(id, weight) and actions.setState(id, state) perform the
 * changes and resolve with the updated node, or null when they failed (the caller reports the error);
 * actions.changed() is called once a change is shown.
 */
export function createNodesTable(tbody, empty, actions) {
  const rows = new Map();

  function createRow(node) {
    const weight = el('input', {
      type: 'number',
      min: 0,
      max: 10000,
      step: 1,
      required: true,
      inputmode: 'numeric',
      class: 'weight-input',
      'aria-label': 'Weight of ' + node.id,
    });
    const save = el('button', { type: 'submit', disabled: true, 'aria-label': 'Save weight of ' + node.id }, 'Save');
    const form = el('form', { class: 'weight-form' }, weight, save);
    const row = {
      node,
      tr: null,
      weight,
      save,
      shownWeight: null,
      shownState: null,
      cells: {
        health: el('td'),
        state: el('td'),
        sessions: el('td', { class: 'num' }),
        cpu: el('td', { class: 'num' }),
        memory: el('td', { class: 'num' }),
        pipelines: el('td', { class: 'num' }),
        heartbeat: el('td'),
        actions: el('td', { class: 'actions' }),
      },
    };
    const syncSave = () => {
      save.disabled = weight.value === String(row.shownWeight);
    };
    weight.addEventListener('input', syncSave);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!weight.reportValidity()) return;
      save.disabled = true;
      const updated = await actions.setWeight(row.node.id, Number(weight.value));
      if (updated) {
        update(updated, { resetWeight: true });
        actions.changed();
      } else syncSave();
    });
    row.tr = el(
      'tr',
      { 'data-node': node.id },
      // The URI under the id rather than in a column of its own: the table then fits a laptop screen.
      el('th', { scope: 'row' }, el('span', { class: 'node-id' }, node.id), el('code', { class: 'uri' }, node.uri)),
      row.cells.health,
      row.cells.state,
      el('td', {}, form),
      row.cells.sessions,
      row.cells.cpu,
      row.cells.memory,
      row.cells.pipelines,
      row.cells.heartbeat,
      row.cells.actions,
    );
    row.syncSave = syncSave;
    return row;
  }

  function renderActions(row) {
    const { id, state } = row.node;
    const buttons = STATE_ACTIONS.filter(([target]) => target !== state).map(([target, label]) =>
      el(
        'button',
        {
          type: 'button',
          class: 'secondary action-' + target,
          'aria-label': label + ' ' + id,
          onclick: async () => {
            for (const button of buttons) button.disabled = true;
            const updated = await actions.setState(id, target);
            if (updated) {
              update(updated);
              actions.changed();
            } else for (const button of buttons) button.disabled = false;
          },
        },
        label,
      ),
    );
    row.cells.actions.replaceChildren(el('div', { class: 'action-buttons' }, buttons));
  }

  /** Shows one node's latest view; resetWeight replaces a weight being edited (after it was saved). */
  function update(node, options = {}) {
    let row = rows.get(node.id);
    if (!row) {
      row = createRow(node);
      rows.set(node.id, row);
    }
    row.node = node;
    row.tr.classList.toggle('is-down', node.health !== 'up');
    const now = Date.now();
    const { cells } = row;
    cells.health.replaceChildren(el('span', { class: 'badge health-' + node.health }, node.health));
    cells.state.replaceChildren(el('span', { class: 'badge state-' + node.state }, node.state));
    cells.sessions.textContent =
      node.activeSessions + ' / ' + (node.maxSessions === null ? '∞' : node.maxSessions);
    if (node.kms) {
      const cpu = node.kms.usedCpuPercent;
      cells.cpu.replaceChildren(
        el('meter', { min: 0, max: 100, low: 60, high: 85, optimum: 0, value: Math.min(cpu, 100) }),
        ' ' + cpu.toFixed(1) + ' %',
      );
      cells.cpu.title = node.kms.cpuCount + ' cores, KMS ' + node.kms.version;
      cells.memory.textContent = formatMemory(node.kms.usedMemoryKiB);
      cells.pipelines.textContent = String(node.kms.pipelines);
    } else {
      cells.cpu.textContent = '—';
      cells.cpu.removeAttribute('title');
      cells.memory.textContent = '—';
      cells.pipelines.textContent = '—';
    }
    cells.heartbeat.textContent = formatAge(node.lastHeartbeatAt, now);
    if (node.lastHeartbeatAt) cells.heartbeat.title = node.lastHeartbeatAt;
    // Keep what the operator is typing: only an untouched, unfocused input follows the server.
    const editing =
      document.activeElement === row.weight || row.weight.value !== String(row.shownWeight ?? '');
    if (options.resetWeight || !editing) row.weight.value = String(node.weight);
    row.shownWeight = node.weight;
    row.syncSave();
    // Rebuilt only when the state changes, so that a click on a button is never lost to a refresh.
    if (row.shownState !== node.state) {
      row.shownState = node.state;
      renderActions(row);
    }
  }

  return {
    /** Shows the fleet as GET /v1/nodes returned it (ordered by id). */
    render(nodes) {
      const ids = new Set(nodes.map((node) => node.id));
      for (const [id, row] of rows) {
        if (!ids.has(id)) {
          row.tr.remove();
          rows.delete(id);
        }
      }
      for (const node of nodes) update(node);
      const order = nodes.map((node) => rows.get(node.id).tr);
      // Moving a row blurs an input inside it, so rows are re-appended only when the order really changed.
      if (order.some((tr, index) => tbody.children[index] !== tr)) tbody.append(...order);
      empty.hidden = nodes.length > 0;
    },
    /** Shows one node as a PATCH returned it. */
    update,
    /** The nodes shown, in order. */
    nodes: () => [...tbody.children].map((tr) => rows.get(tr.dataset.node).node),
    /** Forgets everything (sign-out): no fleet data stays in the page. */
    clear() {
      rows.clear();
      tbody.replaceChildren();
      empty.hidden = true;
    },
  };
}
`;
