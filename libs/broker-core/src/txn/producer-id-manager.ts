import type { BrokerLogger } from '../broker/broker-options.js';
import { KafkaError } from '../errors.js';
import { isRegistryError } from '../registry/registry-error.js';
import type { Registry } from '../registry/registry.js';

/** Where the last producer id block handed out is recorded (Kafka's ZK-mode ProducerIdBlockZNode). */
export const PRODUCER_ID_BLOCK_PATH = '/latest_producer_id_block';

const MAX_PRODUCER_ID = (1n << 63n) - 1n;
const MAX_ALLOCATION_ATTEMPTS = 50;

/** A range of producer ids owned by one broker, both ends inclusive. */
export interface ProducerIdBlock {
  readonly brokerId: number;
  readonly firstProducerId: bigint;
  readonly lastProducerId: bigint;
}

/** The znode's JSON, as Kafka writes it: {"version":1,"broker":1,"block_start":"0","block_end":"999"} (ids as strings). */
export const ProducerIdBlockZNode = {
  encode(block: ProducerIdBlock): Uint8Array {
    return new TextEncoder().encode(JSON.stringify({
      version: 1, broker: block.brokerId, block_start: block.firstProducerId.toString(), block_end: block.lastProducerId.toString(),
    }));
  },
  /** The block recorded, or undefined for an empty node (a cluster that never handed one out). */
  decode(data: Uint8Array): ProducerIdBlock | undefined {
    if (data.length === 0) return undefined;
    const obj = JSON.parse(new TextDecoder().decode(data)) as Record<string, unknown>;
    const id = (v: unknown, what: string): bigint => {
      if ((typeof v !== 'string' && typeof v !== 'number') || !/^-?\d+$/.test(String(v))) throw new Error(`producer id block: "${what}" is not an integer`);
      return BigInt(v);
    };
    return { brokerId: Number(obj.broker ?? -1), firstProducerId: id(obj.block_start, 'block_start'), lastProducerId: id(obj.block_end, 'block_end') };
  },
};

export interface ProducerIdManagerContext {
  readonly brokerId: number;
  readonly registry: Registry;
  readonly logger: BrokerLogger;
  /** Ids per block (Kafka: 1000). */
  readonly blockSize: number;
}

/**
 * Hands out producer ids unique across the cluster (Kafka's ZkProducerIdManager): blocks of
 * `blockSize` ids are claimed from the registry node `/latest_producer_id_block` by a
 * compare-and-set on its version (a lost race re-reads and claims the block after the
 * winner's), then given out one by one from memory. The next block is claimed in the
 * background once a tenth of the current one is left, so an InitProducerId seldom waits
 * for the registry. Ids of a block not used up before the broker stops are never reused.
 *
 * Single-threaded: callers may interleave freely; at most one claim is in flight.
 */
export class ProducerIdManager {
  private current: { next: bigint; last: bigint } | undefined;
  private prefetched: ProducerIdBlock | undefined;
  private claiming: Promise<void> | undefined;

  constructor(private readonly ctx: ProducerIdManagerContext) {}

  /** A producer id never handed out before; rejects (COORDINATOR_NOT_AVAILABLE) when no block can be claimed. */
  async generateProducerId(): Promise<bigint> {
    for (;;) {
      const id = this.take();
      if (id !== undefined) return id;
      await this.claimNext();
    }
  }

  private take(): bigint | undefined {
    if ((this.current === undefined || this.current.next > this.current.last) && this.prefetched !== undefined) {
      this.current = { next: this.prefetched.firstProducerId, last: this.prefetched.lastProducerId };
      this.prefetched = undefined;
    }
    const block = this.current;
    if (block === undefined || block.next > block.last) return undefined;
    const id = block.next++;
    const left = block.last - block.next + 1n;
    if (this.prefetched === undefined && left * 10n < BigInt(this.ctx.blockSize)) {
      this.claimNext().catch((err: unknown) => this.ctx.logger.warn(`prefetching a producer id block failed; retried when needed: ${String(err)}`));
    }
    return id;
  }

  private claimNext(): Promise<void> {
    this.claiming ??= this.claimBlock()
      .then((block) => void (this.prefetched = block))
      .finally(() => (this.claiming = undefined));
    return this.claiming;
  }

  private async claimBlock(): Promise<ProducerIdBlock> {
    const { registry, brokerId, blockSize } = this.ctx;
    for (let attempt = 0; attempt < MAX_ALLOCATION_ATTEMPTS; attempt++) {
      const stat = registry.exists(PRODUCER_ID_BLOCK_PATH);
      const previous = stat === null ? undefined : ProducerIdBlockZNode.decode(registry.getData(PRODUCER_ID_BLOCK_PATH).data);
      const first = previous === undefined ? 0n : previous.lastProducerId + 1n;
      const last = first + BigInt(blockSize) - 1n;
      if (last > MAX_PRODUCER_ID) throw new KafkaError('UNKNOWN_SERVER_ERROR', 'producer ids are exhausted');
      const block: ProducerIdBlock = { brokerId, firstProducerId: first, lastProducerId: last };
      try {
        if (stat === null) await registry.create(PRODUCER_ID_BLOCK_PATH, ProducerIdBlockZNode.encode(block));
        else await registry.setData(PRODUCER_ID_BLOCK_PATH, ProducerIdBlockZNode.encode(block), stat.version);
        this.ctx.logger.info(`claimed producer id block [${first}, ${last}]`);
        return block;
      } catch (err) {
        // Another broker claimed a block meanwhile (or created the node): read again and take the next one.
        if (!isRegistryError(err, 'BADVERSION') && !isRegistryError(err, 'NODEEXISTS') && !isRegistryError(err, 'NONODE')) {
          throw new KafkaError('COORDINATOR_NOT_AVAILABLE', `claiming a producer id block failed: ${String(err)}`);
        }
      }
    }
    throw new KafkaError('COORDINATOR_NOT_AVAILABLE', `claiming a producer id block lost ${MAX_ALLOCATION_ATTEMPTS} races in a row`);
  }
}
