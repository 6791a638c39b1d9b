import type { BrokerApi, TransactionDescription } from '@weir/broker-core';
import type { LiveChannel, LiveServerFrame, LiveTransaction } from '@weir/contracts';
import { describeListedTransactions } from '../rest/v3/transactions/transaction-listing.js';
import type { SampledChannelSource } from './sampled-channel.js';

/**
 * The `transactions` channel's source. The coordinators announce no changes, so the hub
 * calls `sample` once per sample interval while anyone is subscribed: one listing per
 * interval for all clients (never one per client), published only when something a
 * viewer sees changed (ids, states, epochs, partition counts, start times). One read runs
 * at a time; a read that fails (a coordinator loading or moving) publishes nothing and
 * the next sample tries again.
 */
export class TransactionsWatch implements SampledChannelSource {
  private reading = false;
  private lastDigest: string | undefined;

  constructor(private readonly broker: BrokerApi) {}

  serves(channel: LiveChannel): boolean {
    return channel === 'transactions';
  }

  sample(_channels: ReadonlySet<LiveChannel>, publish: (channel: LiveChannel, frame: LiveServerFrame) => void): void {
    if (this.reading) return;
    this.reading = true;
    void this.publishIfChanged((transactions) => publish('transactions', frameOf(transactions))).finally(() => {
      this.reading = false;
    });
  }

  snapshot(_channel: LiveChannel, send: (frame: LiveServerFrame) => void): void {
    void this.read().then((transactions) => {
      if (transactions !== undefined) send(frameOf(transactions));
    });
  }

  /** Nobody subscribed: the next subscriber's samples start from nothing known. */
  release(): void {
    this.lastDigest = undefined;
  }

  private async publishIfChanged(publish: (transactions: LiveTransaction[]) => void): Promise<void> {
    const transactions = await this.read();
    if (transactions === undefined) return;
    const digest = JSON.stringify(transactions);
    if (digest === this.lastDigest) return;
    this.lastDigest = digest;
    publish(transactions);
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

function frameOf(transactions: LiveTransaction[]): LiveServerFrame {
  return { type: 'transactions', channel: 'transactions', transactions };
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
