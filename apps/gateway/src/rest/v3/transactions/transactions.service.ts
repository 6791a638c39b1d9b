import { Inject, Injectable } from '@nestjs/common';
import { type BrokerApi, type TransactionFilter } from '@weir/broker-core';
import { type ProducerDataList, type TransactionData, type TransactionDataList, type TransactionListQuery } from '@weir/contracts';
import { BROKER } from '../../../broker/broker.module.js';
import { RestError } from '../../../errors/rest-error.js';
import { V3Urls } from '../common/urls.js';
import { toProducerDataList, toTransactionData, toTransactionDataList, transactionUrls } from '../mappers/transaction.mapper.js';
import { describeListedTransactions } from './transaction-listing.js';

/**
 * Weir's transactions resources over the transaction coordinators: the list (Kafka's
 * ListTransactions filters, each id described), one id's description, an admin's abort
 * of a hanging transaction (its producer is fenced), and a partition's producers.
 *
 * The coordinator's refusals go through the global filter's mapping (errors/
 * kafka-error-codes.ts): an unknown id is 404 40403, an abort with nothing open 409 40901.
 */
@Injectable()
export class TransactionsService {
  constructor(@Inject(BROKER) private readonly api: BrokerApi) {}

  async list(baseUrl: string, query: TransactionListQuery): Promise<TransactionDataList> {
    const urls = this.urls(baseUrl);
    const filter: TransactionFilter = { states: query.state, producerIds: query.producer_id, minDurationMs: query.min_duration_ms };
    const txns = await describeListedTransactions(this.api, filter);
    return toTransactionDataList(urls, txns, Date.now(), listSelf(transactionUrls.list(urls), query));
  }

  async get(baseUrl: string, transactionalId: string): Promise<TransactionData> {
    const txn = await this.api.describeTransaction(transactionalId);
    return toTransactionData(this.urls(baseUrl), txn, Date.now());
  }

  /** Answers the description as the abort left it (PrepareAbort or CompleteAbort, epoch bumped). */
  async abort(baseUrl: string, transactionalId: string): Promise<TransactionData> {
    const txn = await this.api.abortTransaction(transactionalId);
    return toTransactionData(this.urls(baseUrl), txn, Date.now());
  }

  async producers(baseUrl: string, topic: string, partition: number): Promise<ProducerDataList> {
    const described = this.api.describeTopic(topic); // UNKNOWN_TOPIC_OR_PARTITION -> 404 40403
    if (!described.partitions.some((p) => p.partition === partition)) throw RestError.unknownPartition(topic, partition);
    return toProducerDataList(this.urls(baseUrl), topic, partition, await this.api.describeProducers(topic, partition));
  }

  private urls(baseUrl: string): V3Urls {
    return new V3Urls(baseUrl, this.api.clusterId);
  }
}

/** The list's own URL with the filters it was asked with, as given. */
function listSelf(base: string, query: TransactionListQuery): string {
  const params = new URLSearchParams();
  if (query.state !== undefined) params.set('state', query.state.join(','));
  if (query.producer_id !== undefined) params.set('producer_id', query.producer_id.join(','));
  if (query.min_duration_ms !== undefined) params.set('min_duration_ms', String(query.min_duration_ms));
  const search = params.toString();
  return search === '' ? base : `${base}?${search}`;
}
