import type { TransactionData, TransactionDataList } from '@weir/contracts';
import { clusterPath } from './clusters';
import { gatewayRequest } from './http';

const transactionPath = (id: string, suffix = '') => clusterPath(`/transactions/${encodeURIComponent(id)}${suffix}`);

/** Every transactional id the coordinators know, each described; `states` filters as the gateway's `state` query. */
export async function listTransactions(states: readonly string[]): Promise<TransactionData[]> {
  const query = { state: states.length === 0 ? undefined : states.join(',') };
  return (await gatewayRequest<TransactionDataList>(await clusterPath('/transactions'), { query })).data;
}

/** An admin's abort: the producer is fenced and ABORT markers written; answers the description as the abort left it. */
export async function abortTransaction(id: string): Promise<TransactionData> {
  return gatewayRequest<TransactionData>(await transactionPath(id, ':abort'), { method: 'POST', timeoutMs: 30_000 });
}
