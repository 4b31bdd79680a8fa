import { appendFileSync } from 'node:fs';

/** One measured figure, next to the baseline measured in the same run. */
export interface Figure {
  bench: string;
  figure: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number; unit: string } | undefined;
  /** value / baseline (or its inverse for costs), so that higher is always better. */
  ratio?: number | undefined;
  /** The ratio the issue asks for; `atMost` for growth factors, where lower is better. */
  target?: { ratio: number; atMost?: boolean } | undefined;
  note?: string | undefined;
}

export const met = (figure: Figure): boolean | undefined => {
  if (!figure.target || figure.ratio === undefined) return undefined;
  return figure.target.atMost ? figure.ratio <= figure.target.ratio : figure.ratio >= figure.target.ratio;
};

const fmt = (value: number) =>
  Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2);

/** A target as the reports print it: `≥ 0.77`, `≤ 1.2` (two places at most). */
export const targetText = (target: NonNullable<Figure['target']>) =>
  `${target.atMost ? '≤' : '≥'} ${Number(target.ratio.toFixed(2))}`;

/** One line per figure on stdout, and a JSON line in BENCH_OUT when the runner collects them. */
export function report(figure: Figure): void {
  const parts = [`${figure.bench}: ${figure.figure} = ${fmt(figure.value)} ${figure.unit}`];
  if (figure.baseline)
    parts.push(`baseline ${figure.baseline.name} = ${fmt(figure.baseline.value)} ${figure.baseline.unit}`);
  if (figure.ratio !== undefined) parts.push(`ratio ${figure.ratio.toFixed(2)}`);
  if (figure.target) {
    const ok = met(figure);
    parts.push(`target ${targetText(figure.target)} ${ok ? 'met' : 'MISSED'}`);
  }
  if (figure.note) parts.push(figure.note);
  process.stdout.write(`${parts.join(' | ')}\n`);
  const out = process.env.BENCH_OUT;
  if (out) appendFileSync(out, `${JSON.stringify(figure)}\n`);
}

export { fmt };
