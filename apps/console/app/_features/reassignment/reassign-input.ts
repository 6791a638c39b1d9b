import { type AlterTopicReassignmentsRequest, alterTopicReassignmentsRequestSchema } from '@weir/contracts';

/** A partition as the form shows it: its current replicas, the first being the preferred leader. */
export interface PartitionReplicas {
  partition_id: number;
  replica_ids: number[];
}

/** Target replicas typed per partition (`"1, 2, 3"`), keyed by partition id. */
export type ReassignDrafts = Record<number, string>;

export type ParsedReassignment =
  | { ok: true; request: AlterTopicReassignmentsRequest }
  | { ok: false; errors: Record<number, string>; message?: string };

export function formatReplicas(ids: readonly number[]): string {
  return ids.join(', ');
}

/** `"1, 2 3"` -> [1, 2, 3]; anything but broker ids is an error naming what is wrong. */
export function parseReplicaList(text: string): number[] | string {
  const parts = text.split(/[\s,]+/).filter((p) => p !== '');
  if (parts.length === 0) return 'Give at least one broker id';
  const ids: number[] = [];
  for (const part of parts) {
    if (!/^\d{1,10}$/.test(part)) return `"${part}" is not a broker id`;
    ids.push(Number(part));
  }
  return ids;
}

/**
 * The partitions whose typed replicas differ from their current ones, as the gateway's
 * request, checked with the gateway's own schema (no broker twice, at least one).
 */
export function parseReassignForm(partitions: readonly PartitionReplicas[], drafts: ReassignDrafts): ParsedReassignment {
  const errors: Record<number, string> = {};
  const changes: AlterTopicReassignmentsRequest['partitions'] = [];
  for (const p of partitions) {
    const draft = drafts[p.partition_id];
    if (draft === undefined) continue;
    const parsed = parseReplicaList(draft);
    if (typeof parsed === 'string') {
      errors[p.partition_id] = parsed;
      continue;
    }
    if (parsed.join(',') !== p.replica_ids.join(',')) changes.push({ partition_id: p.partition_id, replicas: parsed });
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  if (changes.length === 0) return { ok: false, errors: {}, message: 'No partition has new replicas' };
  const result = alterTopicReassignmentsRequestSchema.safeParse({ partitions: changes });
  if (result.success) return { ok: true, request: result.data };
  for (const issue of result.error.issues) {
    const index = issue.path[1];
    const id = typeof index === 'number' ? changes[index]?.partition_id : undefined;
    if (id !== undefined) errors[id] ??= issue.message;
  }
  return { ok: false, errors, message: Object.keys(errors).length === 0 ? result.error.issues[0]?.message : undefined };
}
