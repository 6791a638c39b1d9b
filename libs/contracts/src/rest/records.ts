import { z } from 'zod';

/**
 * Weir's read endpoint (an extension: Confluent's v3 has no consume), for the console's
 * message browser and for scripts:
 *
 *   GET /v3/clusters/{cluster_id}/topics/{topic_name}/partitions/{partition_id}/records
 *
 * Start at exactly one of `offset`, `timestamp` (ms since the epoch, or ISO 8601) or
 * `from` (oldest | newest; the default is oldest going forward, newest going backward).
 * `direction=backward` returns records newest-first ending at the start point.
 * Keys, values and header values are decoded as `format` says (per field overridable);
 * a field longer than `max_field_bytes` is cut there and flagged `truncated`, with its
 * full `size`.
 *
 * Filters (`key_contains`, `value_contains`, `header_contains`: a case-sensitive
 * substring of the bytes, so of their UTF-8 text; a header matches by its name or its
 * value; all given filters must match) make the read scan on until `max_records` records
 * match or the scan budget (`max_scan_records`, `max_scan_bytes`) runs out, so a filter
 * over a large partition answers in bounded time. The response then says how far the scan
 * got (`scanned_to_offset`) and whether the budget ran out; `next_offset` continues it.
 */
export const RECORD_FORMATS = ['string', 'json', 'base64', 'hex'] as const;
export type RecordFormat = (typeof RECORD_FORMATS)[number];

export const READ_DEFAULTS = { maxRecords: 100, maxBytes: 1024 * 1024, maxFieldBytes: 64 * 1024 } as const;
export const READ_LIMITS = { maxRecords: 10_000, maxBytes: 64 * 1024 * 1024, maxFieldBytes: 16 * 1024 * 1024 } as const;
/** A filtered read stops after examining this many records or payload bytes (what it has matched so far comes back). */
export const SCAN_DEFAULTS = { maxScanRecords: 100_000, maxScanBytes: 256 * 1024 * 1024 } as const;
export const SCAN_LIMITS = { maxScanRecords: 10_000_000, maxScanBytes: 4 * 1024 * 1024 * 1024, needleChars: 1024 } as const;

const integerParam = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a non-negative integer')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const timestampParam = z.string().transform((raw, ctx) => {
  const ms = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isSafeInteger(ms) || ms < 0) {
    ctx.addIssue({ code: 'custom', message: 'must be milliseconds since the epoch or an ISO 8601 date-time' });
    return z.NEVER;
  }
  return ms;
});

export const readRecordsQuerySchema = z
  .strictObject({
    offset: z
      .string()
      .regex(/^\d{1,19}$/, 'must be a non-negative integer')
      .transform((v) => BigInt(v))
      .optional(),
    timestamp: timestampParam.optional(),
    from: z.enum(['oldest', 'newest']).optional(),
    direction: z.enum(['forward', 'backward']).default('forward'),
    max_records: integerParam(1, READ_LIMITS.maxRecords).default(READ_DEFAULTS.maxRecords),
    max_bytes: integerParam(1, READ_LIMITS.maxBytes).default(READ_DEFAULTS.maxBytes),
    max_field_bytes: integerParam(0, READ_LIMITS.maxFieldBytes).default(READ_DEFAULTS.maxFieldBytes),
    format: z.enum(RECORD_FORMATS).default('string'),
    key_format: z.enum(RECORD_FORMATS).optional(),
    value_format: z.enum(RECORD_FORMATS).optional(),
    header_format: z.enum(RECORD_FORMATS).optional(),
    key_contains: z.string().min(1).max(SCAN_LIMITS.needleChars).optional(),
    value_contains: z.string().min(1).max(SCAN_LIMITS.needleChars).optional(),
    header_contains: z.string().min(1).max(SCAN_LIMITS.needleChars).optional(),
    max_scan_records: integerParam(1, SCAN_LIMITS.maxScanRecords).default(SCAN_DEFAULTS.maxScanRecords),
    max_scan_bytes: integerParam(1, SCAN_LIMITS.maxScanBytes).default(SCAN_DEFAULTS.maxScanBytes),
  })
  .refine(
    (q) => [q.offset, q.timestamp, q.from].filter((v) => v !== undefined).length <= 1,
    'give at most one of offset, timestamp and from',
  );
export type ReadRecordsQuery = z.output<typeof readRecordsQuerySchema>;

/**
 * A decoded key, value or header value. `format` is what `data` holds: the one asked
 * for, or `base64` when the bytes are not valid UTF-8 (string/json), or `string` when
 * they are text but not JSON (json) or were cut short. `data` is never lossy.
 */
export type DecodedField = {
  format: RecordFormat;
  data: unknown;
  size: number;
  truncated: boolean;
};

export type ReadRecordHeader = { key: string; value: DecodedField | null };

export type ReadRecord = {
  partition_id: number;
  offset: number;
  timestamp: number;
  timestamp_type: 'CreateTime' | 'LogAppendTime';
  key: DecodedField | null;
  value: DecodedField | null;
  headers: ReadRecordHeader[];
  /** Bytes of key, value and headers (keys and values), untruncated. */
  size: number;
};

export type ReadRecordsResponse = {
  kind: 'KafkaRecordList';
  topic_name: string;
  partition_id: number;
  direction: 'forward' | 'backward';
  records: ReadRecord[];
  /** Forward: where the next page starts. Backward: the offset before the oldest returned (-1 at the start of the log). */
  next_offset: number;
  log_start_offset: number;
  high_watermark: number;
  /** The Last Stable Offset when the read began: below the HW while a transaction is open on the partition. */
  last_stable_offset: number;
  /** With a filter: records examined (matching or not). */
  scanned_records?: number;
  /** With a filter: the offset of the last record examined (-1 when none was). */
  scanned_to_offset?: number;
  /** With a filter: true when the scan budget ran out before `max_records` matched or the partition ended. */
  scan_budget_exhausted?: boolean;
};
