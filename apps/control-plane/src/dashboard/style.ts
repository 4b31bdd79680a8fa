/** The dashboard's stylesheet, served as `/dashboard/style.css` (no inline styles: see the page's CSP). */
export const stylesheet = `
:root {
  --bg: #f4f6f9;
  --card: #ffffff;
  --text: #1f2933;
  --muted: #616e7c;
  --line: #e1e5ea;
  --accent: #1d4ed8;
  --accent-dark: #1e40af;
  --up: #15803d;
  --up-bg: #dcfce7;
  --down: #b91c1c;
  --down-bg: #fee2e2;
  --unknown: #52606d;
  --unknown-bg: #e4e7eb;
  --warn: #a16207;
  --warn-bg: #fef3c7;
  --placed: #1d4ed8;
  --weight: #f59e0b;
  font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
  font-size: 14px;
  color: var(--text);
  background: var(--bg);
}

* { box-sizing: border-box; }
body { margin: 0; }
main { max-width: 1320px; margin: 0 auto; padding: 0 24px 32px; }
h1, h2 { margin: 0; font-weight: 600; }
h1 { font-size: 18px; }
h2 { font-size: 15px; margin-bottom: 12px; }
code { font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace; font-size: 12px; }
[hidden] { display: none !important; }

.top {
  display: flex;
  align-items: center;
  gap: 16px;
  padding: 12px 24px;
  margin-bottom: 20px;
  background: #0f172a;
  color: #f8fafc;
}
.subtitle { font-weight: 400; color: #94a3b8; }
.updated { margin: 0 0 0 auto; color: #94a3b8; font-size: 12px; font-variant-numeric: tabular-nums; }
.top .secondary { color: #f8fafc; border-color: #475569; background: transparent; }
.top .secondary:hover { background: #1e293b; }

.card {
  background: var(--card);
  border: 1px solid var(--line);
  border-radius: 8px;
  padding: 16px 20px;
  margin-bottom: 20px;
}
.card-head { display: flex; align-items: baseline; gap: 16px; }
.columns { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 20px; }
.columns > .card { margin-bottom: 0; }
@media (max-width: 900px) { .columns { grid-template-columns: 1fr; } }

.hint { color: var(--muted); margin: 0 0 12px; }
.notice { color: var(--up); margin: 0; font-size: 13px; }
.error { color: var(--down); min-height: 1.4em; margin: 8px 0 0; }

button {
  font: inherit;
  padding: 5px 12px;
  border-radius: 6px;
  border: 1px solid var(--accent);
  background: var(--accent);
  color: #fff;
  cursor: pointer;
}
button:hover:not(:disabled) { background: var(--accent-dark); }
button:disabled { opacity: 0.45; cursor: default; }
button.secondary { background: #fff; color: var(--text); border-color: #cbd2d9; }
button.secondary:hover:not(:disabled) { background: #f0f2f5; }
button.icon { background: none; border: none; color: inherit; font-size: 18px; line-height: 1; padding: 0 4px; }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }

input {
  font: inherit;
  padding: 5px 8px;
  border: 1px solid #cbd2d9;
  border-radius: 6px;
  background: #fff;
  color: inherit;
}

.sign-in { max-width: 520px; margin: 48px auto; }
.sign-in label { display: block; font-weight: 600; margin-bottom: 6px; }
.row { display: flex; gap: 8px; }
.row input { flex: 1; }

.alert {
  display: flex;
  align-items: center;
  justify-content: space-between;
  gap: 12px;
  padding: 10px 14px;
  margin-bottom: 20px;
  border: 1px solid #fca5a5;
  border-radius: 8px;
  background: var(--down-bg);
  color: var(--down);
}

.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 8px 6px; border-bottom: 1px solid var(--line); white-space: nowrap; }
thead th { font-size: 12px; font-weight: 600; color: var(--muted); text-transform: uppercase; letter-spacing: 0.03em; }
tbody th .node-id { display: block; font-weight: 600; font-size: 14px; }
tbody th .uri { display: block; font-weight: 400; color: var(--muted); margin-top: 2px; }
/* The load figures of a node that is not up are its last report, not its present. */
tr.is-down td.num { color: var(--muted); }
tbody tr:last-child > * { border-bottom: none; }
tbody tr:hover { background: #f8fafc; }
td.num { font-variant-numeric: tabular-nums; }
/* Flex on a wrapper, not on the cell: a flex td stops being a table cell and loses the row's height. */
.action-buttons { display: flex; gap: 6px; }
.action-buttons button { padding: 3px 10px; font-size: 13px; }
meter { width: 44px; height: 10px; vertical-align: middle; }

.weight-form { display: flex; gap: 6px; }
.weight-input { width: 68px; }
.weight-form button { padding: 3px 10px; font-size: 13px; }
.weight-form button:disabled { background: #fff; color: var(--muted); border-color: #cbd2d9; opacity: 1; }

.badge {
  display: inline-block;
  padding: 1px 8px;
  border-radius: 999px;
  font-size: 12px;
  font-weight: 600;
}
.health-up, .state-active { color: var(--up); background: var(--up-bg); }
.health-down, .state-disabled { color: var(--down); background: var(--down-bg); }
.health-unknown { color: var(--unknown); background: var(--unknown-bg); }
.state-draining { color: var(--warn); background: var(--warn-bg); }

.chart { margin: 0; }
.chart-svg { width: 100%; max-width: 720px; height: auto; display: block; }
.chart figcaption { color: var(--muted); font-size: 12px; margin-top: 8px; }
.axis { stroke: #9aa5b1; stroke-width: 1; }
.bar-placed { fill: var(--placed); }
.bar-weight { fill: #fff7e6; stroke: var(--weight); stroke-width: 1.5; }
.bar-label { font-size: 13px; font-weight: 600; fill: var(--text); }
.bar-value { font-size: 11px; fill: var(--muted); }
.legend { display: flex; align-items: center; gap: 6px; margin: 10px 0 0; font-size: 12px; color: var(--muted); }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-left: 8px; }
.swatch:first-child { margin-left: 0; }
.swatch-placed { background: var(--placed); }
.swatch-weight { background: #fff7e6; border: 1.5px solid var(--weight); }

.events { list-style: none; margin: 0; padding: 0; max-height: 480px; overflow-y: auto; }
.events li {
  display: grid;
  grid-template-columns: 64px minmax(48px, auto) auto 1fr;
  align-items: center;
  gap: 10px;
  padding: 6px 0;
  border-bottom: 1px solid var(--line);
}
.events li:last-child { border-bottom: none; }
.events time { color: var(--muted); font-variant-numeric: tabular-nums; font-size: 12px; }
.event-subject { font-weight: 600; max-width: 140px; overflow: hidden; text-overflow: ellipsis; }
.event-reason { color: var(--muted); font-size: 12px; }

td.rotation { min-width: 170px; vertical-align: middle; }
td.rotation .badge { margin-right: 6px; }
.rot-detail { font-size: 12px; font-variant-numeric: tabular-nums; }
/* One line under the badge; the whole text is the cell's tooltip. */
.rot-note {
  display: block;
  max-width: 200px;
  margin-top: 4px;
  overflow: hidden;
  text-overflow: ellipsis;
  color: var(--muted);
  font-size: 12px;
}
meter.ramp, progress.drain { width: 56px; height: 10px; vertical-align: middle; margin-right: 6px; }
.rot-in, .rot-drained { color: var(--up); background: var(--up-bg); }
.rot-ramping { color: var(--accent); background: #dbeafe; }
.rot-ejected, .rot-out { color: var(--down); background: var(--down-bg); }
.rot-cpu, .rot-draining { color: var(--warn); background: var(--warn-bg); }

.picks { display: flex; flex-wrap: wrap; gap: 6px; list-style: none; margin: 0; padding: 0; counter-reset: pick; }
.pick {
  padding: 3px 10px 3px 8px;
  border: 1px solid #cbd2d9;
  border-radius: 6px;
  font-weight: 600;
  font-variant-numeric: tabular-nums;
}
.pick::before { counter-increment: pick; content: counter(pick); margin-right: 6px; color: var(--muted); font-size: 11px; font-weight: 400; }
.picks-caption { margin: 10px 0 0; font-size: 12px; }

.feed-status { margin: 0 0 12px auto; font-size: 12px; color: var(--muted); }
.feed-status.feed-stream { color: var(--up); }
.feed-status.feed-stream::before { content: '● '; }
.feed-status.feed-reconnecting { color: var(--warn); }
.event-node-ejected, .event-node-down { color: var(--down); background: var(--down-bg); }
.event-node-up, .event-node-drained { color: var(--up); background: var(--up-bg); }
.event-node-restarted { color: var(--warn); background: var(--warn-bg); }
.event-session-placed, .event-session-moved, .event-session-renamed, .event-session-released {
  color: var(--unknown);
  background: var(--unknown-bg);
}
`;
