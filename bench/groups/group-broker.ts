import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Broker } from '../../libs/broker-core/src/broker/broker.js';
import type { BrokerDefaults } from '../../libs/broker-core/src/broker/broker-options.js';
import { KafkaListener } from '../../libs/broker-core/src/kafka-server/kafka-listener.js';
import { InMemoryRegistryStore } from '../../libs/broker-core/src/registry/memory-store.js';
import { Registry } from '../../libs/broker-core/src/registry/registry.js';
import { SystemTime } from '../../libs/broker-core/src/time.js';
import { SystemTimer } from '../../libs/broker-core/src/timer/system-timer.js';

/**
 * One broker serving the Kafka protocol on 127.0.0.1 (real time, real timer, a temp data
 * dir, an in-memory registry store) with broker defaults of the bench's choosing, such as
 * group.initial.rebalance.delay.ms. kafka-server/testing/standalone-broker.ts starts the
 * same way but takes no defaults.
 */
export interface GroupBroker {
  readonly broker: Broker;
  readonly bootstrap: string;
  close(): Promise<void>;
}

export async function startGroupBroker(defaults: Partial<BrokerDefaults>): Promise<GroupBroker> {
  const dataDir = mkdtempSync(join(tmpdir(), 'weir-bench-groups-'));
  const time = new SystemTime();
  const timer = new SystemTimer();
  const registry = await Registry.open({ store: new InMemoryRegistryStore(), time, scheduler: timer, onError: () => undefined });
  const listener = await KafkaListener.bind({ host: '127.0.0.1', port: 0 });
  const broker = await Broker.start({ brokerId: 1, dataDir, registry, timer, time, advertisedHost: '127.0.0.1', advertisedPort: listener.port, defaults });
  listener.serve(broker);
  return {
    broker,
    bootstrap: `127.0.0.1:${listener.port}`,
    async close() {
      await listener.close();
      await broker.close();
      await registry.close();
      timer.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
