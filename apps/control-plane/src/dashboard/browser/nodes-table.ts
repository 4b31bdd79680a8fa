/**
 * The nodes table. Rows are kept per node id and updated in place on every poll, so that a weight being typed,
 * the focus and a pending click survive the 2 s refresh.
 */
import type { FleetNode, NodeState } from '@kurento-fleet/client/types';
import { el, formatAge, formatMemory } from './dom';
import { cpuLoad, emptyPolicyView, type PolicyView, renderRotation } from './rotation';

const STATE_ACTIONS: Array<[NodeState, string]> = [
  ['active', 'Enable'],
  ['draining', 'Drain'],
  ['disabled', 'Disable'],
];

/**
 * What the table asks of the page. setWeight and setState perform a change and resolve with the updated node,
 * or null when it failed (the page reports the error); changed() is called once a change is shown.
 */
export interface NodeActions {
  setWeight(id: string, weight: number): Promise<FleetNode | null>;
  setState(id: string, state: NodeState): Promise<FleetNode | null>;
  changed(): void;
}

interface Row {
  node: FleetNode;
  tr: HTMLTableRowElement;
  weight: HTMLInputElement;
  /** The weight last shown from the server, to tell an edit from a refresh. */
  shownWeight: number | null;
  shownState: NodeState | null;
  /** The most sessions seen on the node since it began draining: how far its drain has come. */
  drainPeak: number;
  cells: Record<
    'health' | 'state' | 'rotation' | 'sessions' | 'cpu' | 'memory' | 'pipelines' | 'heartbeat' | 'actions',
    HTMLTableCellElement
  >;
  syncSave(): void;
}

/** The table body's controller. */
export function createNodesTable(tbody: HTMLTableSectionElement, empty: HTMLElement, actions: NodeActions) {
  const rows = new Map<string, Row>();
  let view: PolicyView = emptyPolicyView();

  function createRow(node: FleetNode): Row {
    const weight = el('input', {
      type: 'number',
      min: 0,
      max: 10000,
      step: 1,
      required: true,
      inputmode: 'numeric',
      class: 'weight-input',
      'aria-label': `Weight of ${node.id}`,
    });
    const save = el(
      'button',
      { type: 'submit', disabled: true, 'aria-label': `Save weight of ${node.id}` },
      'Save',
    );
    const form = el('form', { class: 'weight-form' }, weight, save);
    const cells: Row['cells'] = {
      health: el('td'),
      state: el('td'),
      rotation: el('td', { class: 'rotation' }),
      sessions: el('td', { class: 'num' }),
      cpu: el('td', { class: 'num' }),
      memory: el('td', { class: 'num' }),
      pipelines: el('td', { class: 'num' }),
      heartbeat: el('td'),
      actions: el('td', { class: 'actions' }),
    };
    const syncSave = () => {
      save.disabled = weight.value === String(row.shownWeight);
    };
    const row: Row = {
      node,
      weight,
      shownWeight: null,
      shownState: null,
      drainPeak: 0,
      cells,
      syncSave,
      tr: el(
        'tr',
        { 'data-node': node.id },
        // The URI under the id rather than in a column of its own: the table then fits a laptop screen.
        el(
          'th',
          { scope: 'row' },
          el('span', { class: 'node-id' }, node.id),
          el('code', { class: 'uri' }, node.uri),
        ),
        cells.health,
        cells.state,
        cells.rotation,
        el('td', {}, form),
        cells.sessions,
        cells.cpu,
        cells.memory,
        cells.pipelines,
        cells.heartbeat,
        cells.actions,
      ),
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
    return row;
  }

  function renderActions(row: Row): void {
    const { id, state } = row.node;
    const buttons: HTMLButtonElement[] = STATE_ACTIONS.filter(([target]) => target !== state).map(
      ([target, label]) =>
        el(
          'button',
          {
            type: 'button',
            class: `secondary action-${target}`,
            'aria-label': `${label} ${id}`,
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
  function update(node: FleetNode, options: { resetWeight?: boolean } = {}): void {
    let row = rows.get(node.id);
    if (!row) {
      row = createRow(node);
      rows.set(node.id, row);
    }
    row.node = node;
    row.tr.classList.toggle('is-down', node.health !== 'up');
    const now = Date.now();
    const { cells } = row;
    cells.health.replaceChildren(el('span', { class: `badge health-${node.health}` }, node.health));
    cells.state.replaceChildren(el('span', { class: `badge state-${node.state}` }, node.state));
    cells.sessions.textContent = `${node.activeSessions} / ${node.maxSessions === null ? '∞' : node.maxSessions}`;
    if (node.kms) {
      // The figure the CPU guard reads (percent of all cores), against its limit.
      const cpu = cpuLoad(node.kms);
      const limit = view.policy?.maxCpuPercent ?? 85;
      cells.cpu.replaceChildren(
        el('meter', {
          min: 0,
          max: 100,
          low: limit * 0.75,
          high: limit,
          optimum: 0,
          value: Math.min(cpu, 100),
        }),
        ` ${cpu.toFixed(1)} %`,
      );
      cells.cpu.title =
        `${node.kms.usedCpuPercent.toFixed(1)} % of one core over ${node.kms.cpuCount} cores ` +
        `(CPU guard at ${limit} %), KMS ${node.kms.version}`;
      cells.memory.textContent = formatMemory(node.kms.usedMemoryKiB);
      cells.pipelines.textContent = String(node.kms.pipelines);
    } else {
      cells.cpu.textContent = '—';
      cells.cpu.removeAttribute('title');
      cells.memory.textContent = '—';
      cells.pipelines.textContent = '—';
    }
    row.drainPeak = node.state === 'draining' ? Math.max(row.drainPeak, node.activeSessions) : 0;
    renderRotation(cells.rotation, node, view, row.drainPeak);
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

  /** The row of a node shown (every node rendered, and every tr of the body, has one). */
  const rowOf = (id: string | undefined): Row => {
    const row = rows.get(id ?? '');
    if (!row) throw new Error(`no row for node ${id}`);
    return row;
  };

  return {
    /** Shows the fleet as GET /v1/nodes returned it (ordered by id), in the rotation `policyView` describes. */
    render(nodes: FleetNode[], policyView: PolicyView): void {
      view = policyView;
      const ids = new Set(nodes.map((node) => node.id));
      for (const [id, row] of rows) {
        if (!ids.has(id)) {
          row.tr.remove();
          rows.delete(id);
        }
      }
      for (const node of nodes) update(node);
      const order = nodes.map((node) => rowOf(node.id).tr);
      // Moving a row blurs an input inside it, so rows are re-appended only when the order really changed.
      if (order.some((tr, index) => tbody.children[index] !== tr)) tbody.append(...order);
      empty.hidden = nodes.length > 0;
    },
    /** Shows one node as a PATCH returned it. */
    update,
    /** The nodes shown, in order. */
    nodes: (): FleetNode[] => [...tbody.rows].map((tr) => rowOf(tr.dataset.node).node),
    /** Forgets everything (sign-out): no fleet data stays in the page. */
    clear(): void {
      rows.clear();
      view = emptyPolicyView();
      tbody.replaceChildren();
      empty.hidden = true;
    },
  };
}
