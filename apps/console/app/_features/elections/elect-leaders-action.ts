'use server';

import { revalidatePath } from 'next/cache';
import { type ActionResult, gatewayAction } from '../../_lib/gateway/action-result';
import { electPreferredLeaders } from '../../_lib/gateway/partitions';
import { summarizeOutcomes } from './outcome-summary';

/** Preferred leader election of a topic's partitions, or of every partition when `topic` is null. */
export async function electLeadersAction(topic: string | null): Promise<ActionResult<string>> {
  const result = await gatewayAction(() => electPreferredLeaders(topic ?? undefined));
  if (!result.ok) return result;
  revalidatePath(topic === null ? '/' : `/topics/${encodeURIComponent(topic)}`);
  return { ok: true, value: summarizeOutcomes(result.value.data, 'elected') };
}
