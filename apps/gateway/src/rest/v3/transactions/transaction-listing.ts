import { type BrokerApi, isKafkaError, type TransactionDescription, type TransactionFilter } from '@weir/broker-core';

/**
 * Kafka's ListTransactions, then DescribeTransactions of each listed id: what the REST
 * list and the live `transactions` channel both show. The coordinators are in this
 * process or one Kafka request away, and a cluster has few transactional ids open at a
 * time, so the descriptions are asked for together. An id that expires between the two
 * calls (TRANSACTIONAL_ID_NOT_FOUND) is left out: it no longer exists.
 */
export async function describeListedTransactions(api: BrokerApi, filter?: TransactionFilter): Promise<TransactionDescription[]> {
  const listed = await api.listTransactions(filter);
  const described = await Promise.all(listed.map(async (t) => {
    try {
      return await api.describeTransaction(t.transactionalId);
    } catch (err) {
      if (isKafkaError(err, 'TRANSACTIONAL_ID_NOT_FOUND')) return undefined;
      throw err;
    }
  }));
  return described.filter((t): t is TransactionDescription => t !== undefined);
}
