/** Reported-load overrides for tests and the demo; `null` returns a figure to the model. */
export interface LoadOverride {
  /** getUsedCpu's value, percent of one core (100 = one core busy). */
  cpuPercent?: number | null;
  /** getUsedMemory's value in KiB. */
  memoryKiB?: number | null;
}

interface Cost {
  cpuPercent: number;
  memoryKiB: number;
}

// Rough costs of a live object in a real KMS: a WebRTC endpoint runs DTLS/SRTP and (potentially) a transcoder,
// a pipeline is a GStreamer bin with its bus and clock.
const COSTS: Readonly<Record<string, Cost>> = {
  MediaPipeline: { cpuPercent: 0.2, memoryKiB: 1536 },
  WebRtcEndpoint: { cpuPercent: 2.5, memoryKiB: 6144 },
  RtpEndpoint: { cpuPercent: 1.5, memoryKiB: 3072 },
  PlayerEndpoint: { cpuPercent: 3, memoryKiB: 8192 },
  RecorderEndpoint: { cpuPercent: 2, memoryKiB: 8192 },
  Composite: { cpuPercent: 8, memoryKiB: 12288 },
  AlphaBlending: { cpuPercent: 6, memoryKiB: 12288 },
  Mixer: { cpuPercent: 4, memoryKiB: 8192 },
  HubPort: { cpuPercent: 0.3, memoryKiB: 512 },
  GStreamerFilter: { cpuPercent: 3, memoryKiB: 4096 },
  FaceOverlayFilter: { cpuPercent: 6, memoryKiB: 8192 },
  ZBarFilter: { cpuPercent: 4, memoryKiB: 4096 },
};
const OTHER: Cost = { cpuPercent: 0.5, memoryKiB: 1024 };
const IDLE: Cost = { cpuPercent: 0.6, memoryKiB: 61_440 };

function total(counts: ReadonlyMap<string, number>, pick: (cost: Cost) => number): number {
  let sum = pick(IDLE);
  for (const [type, count] of counts) sum += pick(COSTS[type] ?? OTHER) * count;
  return sum;
}

/** CPU as getUsedCpu reports it: idle load plus a cost per live object, capped at all cores busy. */
export function modelledCpuPercent(counts: ReadonlyMap<string, number>, cpuCount: number): number {
  // A float like KMS's, never a round number.
  return (
    Math.min(
      total(counts, (c) => c.cpuPercent),
      cpuCount * 100,
    ) + 0.01
  );
}

/** Resident memory as getUsedMemory reports it (KiB): a base plus a cost per live object. */
export function modelledMemoryKiB(counts: ReadonlyMap<string, number>): number {
  return Math.round(total(counts, (c) => c.memoryKiB));
}
