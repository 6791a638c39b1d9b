import { afterEach, describe, expect, it } from '@jest/globals';
import { SILENT_STORAGE_LOGGER } from '../log/logger.js';
import { InMemoryRegistryStore } from '../registry/memory-store.js';
import { Registry } from '../registry/registry.js';
import { MockTime } from '../time.js';
import { MockTimer } from '../timer/mock-timer.js';
import { PRODUCER_ID_BLOCK_PATH, ProducerIdBlockZNode, ProducerIdManager } from './producer-id-manager.js';

/**
 * Producer id blocks claimed from the registry: two brokers sharing it (as the brokers of
 * one process do) never hand out the same id though their claims race (one loses the
 * compare-and-set and claims again), the node holds Kafka's JSON, and the next block is
 * claimed before the current one runs out.
 */
const time = new MockTime();
const timer = new MockTimer(time);
const registries: Registry[] = [];

afterEach(async () => {
  for (const r of registries.splice(0)) await r.close();
});

async function openRegistry(): Promise<Registry> {
  const registry = await Registry.open({ store: new InMemoryRegistryStore(), time, scheduler: timer, onError: () => undefined });
  registries.push(registry);
  return registry;
}

async function manager(brokerId: number, blockSize: number, shared?: Registry): Promise<{ ids: ProducerIdManager; registry: Registry }> {
  const registry = shared ?? (await openRegistry());
  return { ids: new ProducerIdManager({ brokerId, registry, logger: SILENT_STORAGE_LOGGER, blockSize }), registry };
}

const block = (registry: Registry) => ProducerIdBlockZNode.decode(registry.getData(PRODUCER_ID_BLOCK_PATH).data);

describe('ProducerIdManager', () => {
  it('starts at 0 on a fresh cluster and records the block in Kafka\'s JSON', async () => {
    const { ids, registry } = await manager(7, 1000);
    expect(await ids.generateProducerId()).toBe(0n);
    expect(await ids.generateProducerId()).toBe(1n);
    expect(JSON.parse(new TextDecoder().decode(registry.getData(PRODUCER_ID_BLOCK_PATH).data))).toEqual({ version: 1, broker: 7, block_start: '0', block_end: '999' });
  });

  it('never hands out one id twice across two brokers claiming blocks concurrently', async () => {
    const a = await manager(1, 10);
    const b = await manager(2, 10, a.registry);
    const calls: Promise<bigint>[] = [];
    for (let i = 0; i < 100; i++) calls.push(a.ids.generateProducerId(), b.ids.generateProducerId());
    const all = await Promise.all(calls);
    expect(new Set(all.map(String)).size).toBe(200);
    // Every id handed out lies in a block claimed on the registry.
    expect(all.every((id) => id <= block(a.registry)!.lastProducerId)).toBe(true);
  });

  it('claims the next block once a tenth of the current one is left, before it runs out', async () => {
    const { ids, registry } = await manager(1, 100);
    for (let i = 0; i < 90; i++) await ids.generateProducerId();
    expect(block(registry)?.lastProducerId).toBe(99n);
    await ids.generateProducerId();
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(block(registry)).toEqual({ brokerId: 1, firstProducerId: 100n, lastProducerId: 199n });
    const rest: bigint[] = [];
    for (let i = 0; i < 20; i++) rest.push(await ids.generateProducerId());
    expect(rest).toEqual(Array.from({ length: 20 }, (_, i) => BigInt(91 + i)));
  });

  it('continues after the block another broker claimed last', async () => {
    const first = await manager(1, 50);
    await first.ids.generateProducerId();
    const second = await manager(2, 50, first.registry);
    expect(await second.ids.generateProducerId()).toBe(50n);
  });
});
