import { z } from 'zod';
import { SessionIdSchema } from './ids';
import { text } from './input';

/**
 * Which fields a heartbeat takes: what an agent sends (POST /v1/nodes/{id}/heartbeat) and what it is told.
 * Unknown fields are refused, as in every request body. The control plane's use of them (health, the KMS
 * restart, CPU) is in packages/db/src/heartbeats.ts; the rule that a silent node is down, in
 * packages/db/src/health.ts.
 */

/** What an agent reports of its KMS; unknown fields are refused here too, as in every request body. */
export const KmsReportSchema = z
  .strictObject({
    version: text().max(64),
    cpuCount: z.number().int().min(1).max(4096),
    usedCpuPercent: z.number().min(0).max(409_600),
    usedMemoryKiB: z
      .number()
      .int()
      .min(0)
      .max(2 ** 50),
    pipelines: z.number().int().min(0).max(1_000_000_000),
    startedAt: z.iso
      .datetime()
      .optional()
      .meta({ description: 'When the KMS process started; a change is recorded as a restart.' }),
  })
  .meta({ id: 'KmsReport' });

export const AgentInfoSchema = z
  .strictObject({ version: text().max(64), startedAt: z.iso.datetime() })
  .meta({ id: 'AgentInfo' });

/** An agent's report (POST /v1/nodes/{id}/heartbeat); `sessionIds` is reserved for reconciliation. */
export const HeartbeatBodySchema = z
  .strictObject({
    connected: z.boolean(),
    kms: KmsReportSchema.optional(),
    sessionIds: z.array(SessionIdSchema).max(100_000).optional(),
    agent: AgentInfoSchema.optional(),
  })
  .meta({ id: 'Heartbeat' });

export const HeartbeatAnswerSchema = z.object({ heartbeatIntervalMs: z.number().int() });
