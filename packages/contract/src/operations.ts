import { z } from 'zod';

/** `GET /healthz` when the database answers and holds the schema this version needs. */
export const HealthSchema = z.object({ status: z.literal('ok') });

/** `GET /metrics`: the Prometheus text exposition format, version 0.0.4. */
export const MetricsTextSchema = z.string().meta({ example: 'fleet_node_up{node="a"} 1' });
