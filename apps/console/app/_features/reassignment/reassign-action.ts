'use server';

import { alterTopicReassignmentsRequestSchema } from '@weir/contracts';
import { revalidatePath } from 'next/cache';
import { type ActionResult, gatewayAction } from '../../_lib/gateway/action-result';
import { alterReassignments } from '../../_lib/gateway/partitions';
import { summarizeOutcomes } from '../elections/outcome-summary';

/**
 * New replicas for some partitions of a topic, or (replicas null) cancelling their
 * reassignment. Checked again here with the gateway's schema: never trust the browser.
 */
export async function reassignAction(topic: string, request: unknown): Promise<ActionResult<string>> {
  const parsed = alterTopicReassignmentsRequestSchema.safeParse(request);
  if (!parsed.success) return { ok: false, code: 400, message: parsed.error.issues[0]?.message ?? 'Invalid reassignment' };
  const result = await gatewayAction(() => alterReassignments(topic, parsed.data));
  if (!result.ok) return result;
  revalidatePath(`/topics/${encodeURIComponent(topic)}`);
  const cancelling = parsed.data.partitions.every((p) => p.replicas === null);
  return { ok: true, value: summarizeOutcomes(result.value.data, cancelling ? 'cancelled' : 'reassigning') };
}
