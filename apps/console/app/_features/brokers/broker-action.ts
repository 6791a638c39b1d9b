'use server';

import { revalidatePath } from 'next/cache';
import { type ActionResult, gatewayAction } from '../../_lib/gateway/action-result';
import { actOnBroker, type BrokerAction } from '../../_lib/gateway/brokers';

const ACTIONS: readonly BrokerAction[] = ['start', 'stop', 'controlled-shutdown'];
const DONE: Record<BrokerAction, string> = { start: 'started', stop: 'stopped', 'controlled-shutdown': 'shut down' };

/**
 * Starts or stops a broker the gateway hosts. A server action is a public endpoint, so its
 * arguments are checked here too; the gateway refuses brokers it does not host (409).
 */
export async function brokerAction(brokerId: number, action: BrokerAction): Promise<ActionResult<string>> {
  if (!Number.isSafeInteger(brokerId) || brokerId < 0 || !ACTIONS.includes(action)) {
    return { ok: false, code: 400, message: `Not a broker action: ${String(action)} of broker ${String(brokerId)}` };
  }
  const result = await gatewayAction(() => actOnBroker(brokerId, action));
  if (!result.ok) return result;
  revalidatePath('/brokers');
  revalidatePath('/');
  return { ok: true, value: `Broker ${brokerId} ${DONE[action]}: ${result.value.status.replace('_', ' ')}.` };
}
