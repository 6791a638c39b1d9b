'use server';

import { revalidatePath } from 'next/cache';
import { type ActionResult, gatewayAction } from '../../_lib/gateway/action-result';
import { abortTransaction } from '../../_lib/gateway/transactions';

/**
 * Aborts a transactional id's open transaction. A server action is a public endpoint, so
 * the id is checked here too; the gateway answers 404 for an unknown id and 409 when
 * nothing is open (shown with their codes).
 */
export async function abortTransactionAction(transactionalId: string): Promise<ActionResult<string>> {
  if (typeof transactionalId !== 'string' || transactionalId.length === 0 || transactionalId.length > 32_767) {
    return { ok: false, code: 400, message: 'Not a transactional id' };
  }
  const result = await gatewayAction(() => abortTransaction(transactionalId));
  if (!result.ok) return result;
  revalidatePath('/transactions');
  const t = result.value;
  return { ok: true, value: `Aborting ${transactionalId}: ${t.state}, producer ${t.producer_id} fenced (epoch now ${t.producer_epoch}).` };
}
