import { accessSync, constants } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Broker } from '../../broker/broker.js';
import type { BrokerLogger } from '../../broker/broker-options.js';
import type { ApiHandler } from '../api-handler.js';
import type { KafkaListener } from '../kafka-listener.js';
import { startStandaloneBroker } from '../testing/standalone-broker.js';

export interface FuzzServerOptions {
  /** socket.request.max.bytes of the listener (default 1 MiB: lies about sizes are cheap to tell apart). */
  readonly maxRequestBytes?: number;
  /** Topics the janitor leaves alone (the well-behaved client's). */
  readonly keepTopics?: readonly string[];
  /** How often every other topic is deleted (default 5 s); 0 for never. */
  readonly janitorIntervalMs?: number;
  readonly logger?: BrokerLogger;
  /** The APIs to serve (default: all of Weir's); tests plant broken ones to fuzz the fuzzer. */
  readonly handlers?: readonly ApiHandler[];
  /** Where the broker's temp data dir is made (default: the OS temp dir). */
  readonly dataDirParent?: string;
}

export interface FuzzServer {
  readonly broker: Broker;
  readonly listener: KafkaListener;
  readonly port: number;
  readonly maxRequestBytes: number;
  /** Topics the janitor deleted. */
  readonly janitorDeletes: () => number;
  /** The most requests one connection had in flight, sampled every 10 ms (the listener allows MAX_IN_FLIGHT). */
  readonly maxInFlightSeen: () => number;
  close(): Promise<void>;
}

/**
 * A RAM-backed temp dir (/dev/shm) where there is one, else the OS temp dir. Creating and
 * deleting topics costs the broker synchronous fsyncs; on tmpfs they are cheap, so a run
 * spends its time on the listener rather than waiting for the disk.
 */
export function fastTempParent(): string {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

/**
 * A standalone broker and its Kafka listener to fuzz (testing/standalone-broker.ts).
 *
 * Fuzz frames create topics by the thousand (a mutated name is a new name) and raise
 * partition counts, all of it legitimately; a janitor deletes every topic but the kept
 * ones every few seconds so the broker's state, and so its memory and open files, stay
 * those of a steady load rather than of an ever larger cluster. The deletes race with the
 * frames producing to and fetching from the same topics, which is part of the test.
 */
export async function startFuzzServer(options: FuzzServerOptions = {}): Promise<FuzzServer> {
  const maxRequestBytes = options.maxRequestBytes ?? 1024 * 1024;
  const standalone = await startStandaloneBroker({
    maxRequestBytes,
    ...(options.dataDirParent === undefined ? {} : { dataDirParent: options.dataDirParent }),
    ...(options.handlers === undefined ? {} : { handlers: options.handlers }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  const { broker, listener } = standalone;

  const keep = new Set(options.keepTopics ?? []);
  let deletes = 0;
  let sweeping = false;
  const sweep = async (): Promise<void> => {
    if (sweeping) return;
    sweeping = true;
    try {
      for (const topic of broker.listTopics()) {
        if (keep.has(topic.name)) continue;
        // A topic a frame is deleting at the same moment is not the janitor's failure.
        await broker.deleteTopic(topic.name).then(() => void deletes++, () => undefined);
      }
    } finally {
      sweeping = false;
    }
  };
  const interval = options.janitorIntervalMs ?? 5000;
  const janitor = interval > 0 ? setInterval(() => void sweep(), interval) : undefined;
  let maxInFlight = 0;
  const inFlightProbe = setInterval(() => (maxInFlight = Math.max(maxInFlight, listener.maxInFlightPerConnection)), 10);

  return {
    broker,
    listener,
    port: listener.port,
    maxRequestBytes,
    janitorDeletes: () => deletes,
    maxInFlightSeen: () => maxInFlight,
    async close() {
      if (janitor !== undefined) clearInterval(janitor);
      clearInterval(inFlightProbe);
      await standalone.close();
    },
  };
}
