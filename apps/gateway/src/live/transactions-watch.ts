import type { BrokerApi, TransactionDescription } from '@weir/broker-core';
import type { LiveTransaction } from '@weir/contracts';
import { describeListedTransactions } from '../rest/v3/transactions/transaction-listing.js';

/**
 * The `transactions` channel's source. The coordinators announce no changes, so the hub
 * calls `sample` once per sample interval while anyone is subscribed: one listing per
 * interval for all clients (never one per client), published only when something a
 * viewer sees changed (ids, states, epochs, partition counts, start times). One read runs
 * at a time; a read that fails (a coordinator loading or moving) publishes nothing and
 * the next sample tries again.
 */
export class TransactionsWatch {
  private reading = false;
  private lastDigest: string | undefined;

  constructor(
    private readonly broker: BrokerApi,
    private readonly publish: (transactions: LiveTransaction[]) => void,
  ) {}

  sample(): void {
    if (this.reading) return;
    this.reading = true;
    void this.publishIfChanged().finally(() => {
      this.reading = false;
    });
  }

  /** A new subscriber's first view, read at once and sent to it alone. */
  snapshot(send: (transactions: LiveTransaction[]) => void): void {
    void this.read().then((transactions) => {
      if (transactions !== undefined) send(transactions);
    });
  }

  /** Nobody subscribed: the next subscriber's samples start from nothing known. */
  reset(): void {
    this.lastDigest = undefined;
  }

  private async publishIfChanged(): Promise<void> {
    const transactions = await this.read();
    if (transactions === undefined) return;
    const digest = JSON.stringify(transactions);
    if (digest === this.lastDigest) return;
    this.lastDigest = digest;
    this.publish(transactions);
  }

  /** By transactional id; undefined when the coordinators cannot answer now. */
  private async read(): Promise<LiveTransaction[] | undefined> {
    try {
      const described = await describeListedTransactions(this.broker);
      return described.sort((a, b) => (a.transactionalId < b.transactionalId ? -1 : a.transactionalId > b.transactionalId ? 1 : 0)).map(toLiveTransaction);
    } catch {
      // Coordinator unavailable, loading, or no broker of this process running: the page keeps its last view.
      return undefined;
    }
  }
}

function toLiveTransaction(t: TransactionDescription): LiveTransaction {
  return {
    transactional_id: t.transactionalId,
    state: t.state,
    producer_id: Number(t.producerId),
    producer_epoch: t.producerEpoch,
    partitions_count: t.partitions.length,
    transaction_start_time_ms: t.transactionStartTimeMs,
  };
}
