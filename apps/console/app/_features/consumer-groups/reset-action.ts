'use server';

import { type OffsetResetData, offsetResetRequestSchema } from '@weir/contracts';
import { revalidatePath } from 'next/cache';
import { type ActionResult, gatewayAction } from '../../_lib/gateway/action-result';
import { resetOffsets } from '../../_lib/gateway/consumer-groups';

/** Plans (dry run) or applies an offset reset; checked again with the gateway's schema: never trust the browser. */
export async function resetAction(groupId: string, request: unknown): Promise<ActionResult<OffsetResetData>> {
  const parsed = offsetResetRequestSchema.safeParse(request);
  if (!parsed.success) return { ok: false, code: 400, message: parsed.error.issues[0]?.message ?? 'Invalid reset' };
  const result = await gatewayAction(() => resetOffsets(groupId, parsed.data));
  if (result.ok && !result.value.dry_run) revalidatePath(`/consumer-groups/${encodeURIComponent(groupId)}`);
  return result;
}
