import { runSoak } from './soak';

/** The long form: `SOAK_SECONDS=300 npx -y pnpm@10.34.8 soak` (CI runs a short one in test/soak.test.ts). */
const seconds = Number(process.env.SOAK_SECONDS ?? 300);
const report = await runSoak({ seconds });
console.log(`soak: ${report.requests} requests in ${seconds} s, ${report.failures.length} failed`);
for (const [name, { early, late }] of Object.entries(report.memory)) {
  console.log(
    `  ${name.padEnd(14)} RSS ${early.toFixed(1)} MiB → ${late.toFixed(1)} MiB (${((late / early - 1) * 100).toFixed(1)} %)`,
  );
}
const { early, late } = report.heapFloor;
console.log(
  `  control plane  heap floor by quarter: ${report.heapFloors.map((f) => f.toFixed(1)).join(' → ')} MiB`,
);
console.log(
  `  control plane  heap in use, lowest: ${early.toFixed(1)} MiB (2nd quarter) → ${late.toFixed(1)} MiB (last)`,
);
for (const failure of report.failures.slice(0, 20)) console.log(`  failed: ${failure}`);
process.exit(report.failures.length ? 1 : 0);
