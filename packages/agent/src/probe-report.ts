import type { KmsProbe, KmsReport } from './kms-connection';

/** The raw answers of one probe, as kurento-client hands them over. */
export interface ProbeAnswers {
  info: unknown;
  cpuCount: unknown;
  usedCpu: unknown;
  usedMemory: unknown;
  pipelines: unknown;
  creationTime: unknown;
}

/**
 * Turns the answers into a heartbeat's `kms` object, or a failure naming the odd answer. The control plane
 * rejects the whole heartbeat (400) on a bad figure, so nothing unchecked goes out.
 */
export function buildReport(answers: ProbeAnswers): KmsProbe {
  const version = (answers.info as { version?: unknown } | null | undefined)?.version;
  if (typeof version !== 'string' || version === '') return bad('getInfo', 'no version');
  const { cpuCount, usedCpu, usedMemory, pipelines, creationTime } = answers;
  if (!Number.isInteger(cpuCount) || (cpuCount as number) < 1) return bad('getCpuCount', cpuCount);
  if (typeof usedCpu !== 'number' || !Number.isFinite(usedCpu) || usedCpu < 0)
    return bad('getUsedCpu', usedCpu);
  if (typeof usedMemory !== 'number' || !Number.isFinite(usedMemory) || usedMemory < 0)
    return bad('getUsedMemory', usedMemory);
  if (!Array.isArray(pipelines)) return bad('getPipelines', pipelines);
  const report: KmsReport = {
    version: version.slice(0, 64),
    cpuCount: cpuCount as number,
    usedCpuPercent: Math.round(usedCpu * 100) / 100,
    usedMemoryKiB: Math.round(usedMemory),
    pipelines: pipelines.length,
  };
  const startedAt = isoFromEpochSeconds(creationTime);
  if (startedAt) report.startedAt = startedAt;
  return { ok: true, report };
}

/** getCreationTime is epoch seconds (docs/kurento-protocol.md); anything else leaves startedAt out rather than failing the probe. */
function isoFromEpochSeconds(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return undefined;
  const date = new Date(value * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function bad(method: string, value: unknown): KmsProbe {
  const shown = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return { ok: false, reason: `${method} returned an unexpected value: ${shown.slice(0, 100)}` };
}
