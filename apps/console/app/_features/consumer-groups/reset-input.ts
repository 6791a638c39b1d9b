import { type OffsetResetModeName, type OffsetResetRequestBody, offsetResetRequestSchema } from '@weir/contracts';

/** The wizard's fields as typed. */
export interface ResetDraft {
  mode: OffsetResetModeName;
  /** offset, shift-by (a number), datetime (a local date-time, as the input gives it), duration, or from-group's group id. */
  value: string;
  scope: 'all' | 'topic' | 'partitions';
  topic: string;
  /** "orders:0, orders:3" */
  partitions: string;
}

export const MODES: readonly { mode: OffsetResetModeName; label: string; needs?: string }[] = [
  { mode: 'earliest', label: 'Earliest (log start)' },
  { mode: 'latest', label: 'Latest (log end)' },
  { mode: 'current', label: 'Current (keep committed)' },
  { mode: 'offset', label: 'To offset', needs: 'Offset' },
  { mode: 'shift-by', label: 'Shift by', needs: 'Shift by (negative moves back)' },
  { mode: 'datetime', label: 'To date and time', needs: 'Date and time' },
  { mode: 'duration', label: 'Back by duration', needs: 'Duration (ISO-8601, e.g. PT1H30M)' },
  { mode: 'from-group', label: 'Copy from group', needs: 'Group to copy from' },
];

export type ParsedReset = { ok: true; body: OffsetResetRequestBody } | { ok: false; message: string };

/** The request the wizard sends (dry run or not), checked with the gateway's own schema. */
export function parseResetDraft(draft: ResetDraft, dryRun: boolean, timeZoneOffsetMinutes = 0): ParsedReset {
  const body: Record<string, unknown> = { mode: draft.mode, dry_run: dryRun };
  const value = draft.value.trim();
  switch (draft.mode) {
    case 'offset': body.offset = value === '' ? undefined : Number(value); break;
    case 'shift-by': body.shift_by = value === '' ? undefined : Number(value); break;
    case 'datetime': body.datetime = value === '' ? undefined : localToIso(value, timeZoneOffsetMinutes); break;
    case 'duration': body.duration = value === '' ? undefined : value.toUpperCase(); break;
    case 'from-group': body.from_group = value === '' ? undefined : value; break;
    default: break;
  }
  if (draft.scope === 'topic') body.topic_name = draft.topic.trim();
  if (draft.scope === 'partitions') {
    const parts = draft.partitions.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const parsed = parts.map((p) => /^(.+):(\d+)$/.exec(p));
    if (parts.length === 0 || parsed.some((m) => m === null)) return { ok: false, message: 'List partitions as topic:partition, separated by commas.' };
    body.partitions = parsed.map((m) => ({ topic_name: m![1]!, partition_id: Number(m![2]) }));
  }
  const checked = offsetResetRequestSchema.safeParse(body);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    return { ok: false, message: issue === undefined ? 'Invalid reset' : `${issue.path.join('.') || 'request'}: ${issue.message}` };
  }
  return { ok: true, body: body as OffsetResetRequestBody };
}

/** "2026-12-01T09:00" in the browser's zone (offset minutes as Date.getTimezoneOffset gives them) as ISO-8601 UTC. */
export function localToIso(local: string, timeZoneOffsetMinutes: number): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local);
  if (m === null) return undefined;
  const utcMs = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0)) + timeZoneOffsetMinutes * 60_000;
  return new Date(utcMs).toISOString();
}
