import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Broker, InMemoryRegistryStore, KafkaListener, Registry, SystemTime, SystemTimer } from '@weir/broker-core';

export interface BenchBroker {
  readonly broker: Broker;
  readonly listener: KafkaListener;
  /** `127.0.0.1:<port>` for clients' bootstrap servers. */
  readonly bootstrap: string;
  /** The broker's data dir (partition logs under `logs/`): the raw I/O references use the same filesystem. */
  readonly dataDir: string;
  close(): Promise<void>;
}

/**
 * One broker and its Kafka listener, started the way the gateway's broker module does
 * (listener bound first so the broker advertises its port, then served), but without
 * Nest (which cannot run under tsx) and with an in-memory registry store instead of
 * PGlite: the registry is not on the produce or fetch path, and this keeps the
 * process's CPU for the listener. Real time and the real timer, a temp data dir.
 */
export async function startBenchBroker(dataDir = mkdtempSync(join(tmpdir(), 'weir-bench-wire-'))): Promise<BenchBroker> {
  const time = new SystemTime();
  const timer = new SystemTimer();
  const registry = await Registry.open({ store: new InMemoryRegistryStore(), time, scheduler: timer, onError: (err) => console.error('registry:', err) });
  const listener = await KafkaListener.bind({ host: '127.0.0.1', port: 0 });
  let broker: Broker;
  try {
    broker = await Broker.start({ brokerId: 1, dataDir, registry, timer, time, advertisedHost: '127.0.0.1', advertisedPort: listener.port });
  } catch (err) {
    await listener.close();
    await registry.close();
    timer.close();
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
