import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import kafkajs, { type KafkaConfig, type SASLOptions } from 'kafkajs';
import { registerKafkajsCodecs } from '../../libs/broker-core/src/log/batch/testing/kafkajs-record-batch.js';

/** What the SASL and TLS suites connect with: a kafkajs client with credentials and/or TLS. */
export function secureKafka(bootstrap: string, options: { sasl?: SASLOptions; ca?: Buffer; retries?: number } = {}): kafkajs.Kafka {
  registerKafkajsCodecs();
  const config: KafkaConfig = {
    clientId: 'weir-security-e2e',
    brokers: [bootstrap],
    logLevel: kafkajs.logLevel.NOTHING,
    retry: { retries: options.retries ?? 2, initialRetryTime: 50, maxRetryTime: 500 },
    connectionTimeout: 5000,
    requestTimeout: 10_000,
    ...(options.sasl === undefined ? {} : { sasl: options.sasl }),
    ...(options.ca === undefined ? {} : { ssl: { ca: [options.ca] } }),
  };
  return new kafkajs.Kafka(config);
}

async function until(what: string, condition: () => boolean, withinMs = 30_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Creates a one-partition topic (Weir does not create topics on produce by default). */
export async function createTopic(kafka: kafkajs.Kafka, topic: string, replicationFactor = 1): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

/**
 * Creates `topic`, produces `values` with acks=all and reads them back with a consumer
 * group, all over `kafka`'s connections: the values as consumed, in order.
 */
export async function produceAndConsume(kafka: kafkajs.Kafka, topic: string, values: readonly string[], replicationFactor = 1): Promise<string[]> {
  await createTopic(kafka, topic, replicationFactor);
  const producer = kafka.producer({ createPartitioner: kafkajs.Partitioners.DefaultPartitioner });
  const consumer = kafka.consumer({ groupId: `${topic}-readers`, maxWaitTimeInMs: 100 });
  try {
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: values.map((value) => ({ value })) });
    const seen: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: ({ message }) => Promise.resolve(void seen.push(message.value?.toString() ?? '')) });
    await until(`${values.length} records from ${topic}`, () => seen.length >= values.length);
    return seen;
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
  }
}

/** The error a client's first use ends with (kafkajs authenticates in admin.connect(); Metadata is the first request after it). */
export async function connectError(kafka: kafkajs.Kafka): Promise<Error> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.listTopics();
  } catch (err) {
    return err as Error;
  } finally {
    await admin.disconnect();
  }
  throw new Error('the connection succeeded');
}

/** A request frame: size, api key, version, correlation id, client id `raw`, body. */
export function requestFrame(apiKey: number, apiVersion: number, correlationId: number, body: Buffer): Buffer {
  const header = Buffer.alloc(8 + 2 + 3);
  header.writeInt16BE(apiKey, 0);
  header.writeInt16BE(apiVersion, 2);
  header.writeInt32BE(correlationId, 4);
  header.writeInt16BE(3, 8);
  header.write('raw', 10);
  const size = Buffer.alloc(4);
  size.writeInt32BE(header.length + body.length, 0);
  return Buffer.concat([size, header, body]);
}

/**
 * A bare connection that records what it receives: `frames` holds each response frame
 * (without its size prefix), `closed` resolves when the broker closes it.
 */
export class RawConnection {
  readonly frames: Buffer[] = [];
  readonly closed: Promise<void>;
  private pending = Buffer.alloc(0);

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.pending = Buffer.concat([this.pending, chunk]);
      while (this.pending.length >= 4 && this.pending.length >= 4 + this.pending.readInt32BE(0)) {
        const size = this.pending.readInt32BE(0);
        this.frames.push(this.pending.subarray(4, 4 + size));
        this.pending = this.pending.subarray(4 + size);
      }
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static open(port: number, ca?: Buffer): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = ca === undefined
        ? netConnect({ host: '127.0.0.1', port }, () => resolve(new RawConnection(socket)))
        : tlsConnect({ host: '127.0.0.1', port, ca: [ca] }, () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  send(frame: Buffer): void {
    this.socket.write(frame);
  }

  async frame(index: number): Promise<Buffer> {
    await until(`response ${index}`, () => this.frames.length > index || this.socket.destroyed, 10_000);
    const frame = this.frames[index];
    if (frame === undefined) throw new Error(`the connection closed before response ${index}`);
    return frame;
  }

  close(): void {
    this.socket.destroy();
  }
}
