import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Broker } from '../../broker/broker.js';
import type { BrokerLogger } from '../../broker/broker-options.js';
import { InMemoryRegistryStore } from '../../registry/memory-store.js';
import { Registry } from '../../registry/registry.js';
import { SystemTime } from '../../time.js';
import { SystemTimer } from '../../timer/system-timer.js';
import type { ListenerSecurity } from '../../security/listener-security.js';
import type { ApiHandler } from '../api-handler.js';
import { KafkaListener } from '../kafka-listener.js';

export interface StandaloneBrokerOptions {
  /** Where the temp data dir is made (default: the OS temp dir). */
  readonly dataDirParent?: string;
  readonly maxRequestBytes?: number;
  readonly handlers?: readonly ApiHandler[];
  readonly logger?: BrokerLogger;
  readonly security?: ListenerSecurity;
}

export interface StandaloneBroker {
  readonly broker: Broker;
  readonly listener: KafkaListener;
  /** `127.0.0.1:<port>` for clients' bootstrap servers. */
  readonly bootstrap: string;
  readonly dataDir: string;
  /** Closes listener, broker, registry and timer, and removes the data dir. */
  close(): Promise<void>;
}

/**
 * One broker and its Kafka listener without Nest, for benchmarks and fuzzing: started the
 * way the gateway's broker module does (listener bound first so the broker advertises its
 * port, then served), with real time and the real timer (long-polls must expire), a temp
 * data dir and an in-memory registry store (the registry is not on the produce or fetch path).
 */
export async function startStandaloneBroker(options: StandaloneBrokerOptions = {}): Promise<StandaloneBroker> {
  const { logger } = options;
  const dataDir = mkdtempSync(join(options.dataDirParent ?? tmpdir(), 'weir-standalone-'));
  const time = new SystemTime();
  const timer = new SystemTimer();
  const registry = await Registry.open({ store: new InMemoryRegistryStore(), time, scheduler: timer, onError: (err) => logger?.error('registry', err) });
  const listener = await KafkaListener.bind({
    host: '127.0.0.1',
    port: 0,
    ...(options.maxRequestBytes === undefined ? {} : { maxRequestBytes: options.maxRequestBytes }),
    ...(options.handlers === undefined ? {} : { handlers: options.handlers }),
    ...(logger === undefined ? {} : { logger }),
    ...(options.security === undefined ? {} : { security: options.security }),
  });
  let broker: Broker;
  try {
    broker = await Broker.start({ brokerId: 1, dataDir, registry, timer, time, advertisedHost: '127.0.0.1', advertisedPort: listener.port, ...(logger === undefined ? {} : { logger }) });
  } catch (err) {
    await listener.close();
    await registry.close();
    timer.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  listener.serve(broker);
  return {
    broker,
    listener,
    bootstrap: `127.0.0.1:${listener.port}`,
    dataDir,
    async close() {
      try {
        await listener.close();
        await broker.close();
        await registry.close();
        timer.close();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
