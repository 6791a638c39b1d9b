import { z } from 'zod';

/**
 * The group-membership settings of a v2 consumer instance, read from the create body next
 * to Confluent's own fields (the shared create schema is strict, so they are taken out
 * before it runs). Names and defaults are the Kafka consumer's:
 * `partition.assignment.strategy` (range, then cooperative-sticky; a comma-separated list
 * or an array; Kafka's class names are accepted), `session.timeout.ms` (45 s),
 * `heartbeat.interval.ms` (3 s), `max.poll.interval.ms` (5 min, the rebalance timeout).
 */
export interface GroupSettings {
  readonly assignors: string[];
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly rebalanceTimeoutMs: number;
}

const CLASS_NAMES: Record<string, string> = {
  'org.apache.kafka.clients.consumer.RangeAssignor': 'range',
  'org.apache.kafka.clients.consumer.RoundRobinAssignor': 'roundrobin',
  'org.apache.kafka.clients.consumer.StickyAssignor': 'sticky',
  'org.apache.kafka.clients.consumer.CooperativeStickyAssignor': 'cooperative-sticky',
};
const NAMES = ['range', 'roundrobin', 'sticky', 'cooperative-sticky'] as const;

const ms = (min: number, max: number, fallback: number) =>
  z.union([z.number().int(), z.string().regex(/^\d+$/, 'must be an integer').transform(Number)]).pipe(z.number().int().min(min).max(max)).default(fallback);

const strategy = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (typeof v === 'string' ? v.split(',') : v).map((s) => s.trim()).filter((s) => s !== '').map((s) => CLASS_NAMES[s] ?? s))
  .pipe(z.array(z.enum(NAMES)).min(1, 'names no assignor'))
  .default(['range', 'cooperative-sticky']);

const groupSettingsSchema = z.object({
  'partition.assignment.strategy': strategy,
  'session.timeout.ms': ms(1, 3_600_000, 45_000),
  'heartbeat.interval.ms': ms(1, 3_600_000, 3_000),
  'max.poll.interval.ms': ms(1, 2_147_483_647, 300_000),
});
const KEYS = Object.keys(groupSettingsSchema.shape);

/** Splits a create body into the group settings (validated) and the rest (for the shared schema). */
export function splitGroupSettings(body: unknown): { settings: z.infer<typeof groupSettingsSchema>; rest: unknown } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { settings: groupSettingsSchema.parse({}), rest: body };
  const own: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) (KEYS.includes(k) ? own : rest)[k] = v;
  const parsed = groupSettingsSchema.safeParse(own);
  if (!parsed.success) throw new GroupSettingsError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return { settings: parsed.data, rest };
}

export function groupSettingsOf(s: z.infer<typeof groupSettingsSchema>): GroupSettings {
  if (s['heartbeat.interval.ms'] >= s['session.timeout.ms']) throw new GroupSettingsError('heartbeat.interval.ms must be lower than session.timeout.ms');
  return {
    assignors: [...new Set(s['partition.assignment.strategy'])],
    sessionTimeoutMs: s['session.timeout.ms'],
    heartbeatIntervalMs: s['heartbeat.interval.ms'],
    rebalanceTimeoutMs: s['max.poll.interval.ms'],
  };
}

export class GroupSettingsError extends Error {}

/** POST .../subscription: a topic list or a pattern (Java regex, whole-name match), not both. */
export const subscriptionRequestSchema = z.union([
  z.strictObject({ topics: z.array(z.string().min(1).max(249)).min(1).max(10_000) }),
  z.strictObject({ topic_pattern: z.string().min(1).max(10_000) }),
]);

/** POST .../offsets: the last consumed offset per partition (committed as offset + 1, as Confluent's proxy does). */
export const commitOffsetsRequestSchema = z.strictObject({
  offsets: z
    .array(
      z.strictObject({
        topic: z.string().min(1).max(249),
        partition: z.number().int().min(0).max(2 ** 31 - 1),
        offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
        metadata: z.string().max(4096).optional(),
      }),
    )
    .max(10_000),
});

/** GET .../offsets: the partitions asked. */
export const committedOffsetsRequestSchema = z.strictObject({
  partitions: z.array(z.strictObject({ topic: z.string().min(1).max(249), partition: z.number().int().min(0).max(2 ** 31 - 1) })).min(1).max(10_000),
});
