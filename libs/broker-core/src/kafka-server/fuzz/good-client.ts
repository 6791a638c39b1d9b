import { decodeRecordBatch } from '../../log/batch/record-batch-decoder.js';
import { encodeRecordBatch } from '../../log/batch/record-batch-encoder.js';
import { API_KEYS } from '../../protocol/api-keys.js';
import { decodeApiVersionsResponse, encodeApiVersionsRequest, makeApiVersionsRequest } from '../../protocol/apiVersions/index.js';
import { decodeCreateTopicsResponse, encodeCreateTopicsRequest, makeCreateTopicsRequest, makeCreateTopicsRequestCreatableTopic } from '../../protocol/createTopics/index.js';
import { encodeFetchRequest, makeFetchRequest, makeFetchRequestPartition, makeFetchRequestTopic } from '../../protocol/fetch/request.js';
import { decodeFetchResponse } from '../../protocol/fetch/response.js';
import { decodeListOffsetsResponse, encodeListOffsetsRequest, makeListOffsetsRequest, makeListOffsetsRequestPartition, makeListOffsetsRequestTopic } from '../../protocol/listOffsets/index.js';
import { decodeMetadataResponse, encodeMetadataRequest, makeMetadataRequest, makeMetadataRequestTopic } from '../../protocol/metadata/index.js';
import { decodeProduceResponse, encodeProduceRequest, makeProduceRequest, makeProduceRequestPartitionProduceData, makeProduceRequestTopicProduceData } from '../../protocol/produce/index.js';
import { RawKafkaClient } from '../testing/raw-client.js';

export interface GoodClientOptions {
  readonly host: string;
  readonly port: number;
  /** Its own topic, which no fuzz frame names. */
  readonly topic: string;
  /** Pause between two rounds. */
  readonly intervalMs: number;
  /** Longest a round may take. */
  readonly deadlineMs: number;
}

export interface GoodClientReport {
  /** Rounds that went through: ApiVersions, Metadata, Produce, Fetch (the record read back), ListOffsets. */
  readonly rounds: number;
  readonly failures: number;
  /** The first failures' reasons. */
  readonly errors: readonly string[];
  readonly maxRoundMs: number;
  readonly meanRoundMs: number;
}

const TOPIC_ALREADY_EXISTS = 36;

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(what);
}

/**
 * A well-behaved client on its own connection, doing what a producer and a consumer do:
 * each round asks ApiVersions and Metadata, produces one record (acks=-1), fetches it
 * back by topic id and checks its value, and checks the end offset with ListOffsets. A
 * round that fails or takes longer than the deadline counts as a failure, and the client
 * reconnects.
 */
export class GoodClient {
  private client: RawKafkaClient | undefined;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private rounds = 0;
  private failures = 0;
  private readonly errors: string[] = [];
  private maxRoundMs = 0;
  private totalRoundMs = 0;
  private wake: (() => void) | undefined;

  constructor(private readonly options: GoodClientOptions) {}

  start(): void {
    this.loop = this.run();
  }

  /** Stops after the round under way (if any). */
  async stop(): Promise<GoodClientReport> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    this.client?.close();
    return this.report();
  }

  report(): GoodClientReport {
    const done = this.rounds;
    return { rounds: done, failures: this.failures, errors: [...this.errors], maxRoundMs: this.maxRoundMs, meanRoundMs: done === 0 ? 0 : this.totalRoundMs / done };
  }

  private async run(): Promise<void> {
    let n = 0;
    while (!this.stopped) {
      const started = performance.now();
      try {
        await this.withDeadline(this.round(n++));
        const ms = performance.now() - started;
        this.rounds++;
        this.totalRoundMs += ms;
        this.maxRoundMs = Math.max(this.maxRoundMs, ms);
      } catch (err) {
        this.failures++;
        if (this.errors.length < 10) this.errors.push(err instanceof Error ? err.message : String(err));
        this.client?.close();
        this.client = undefined;
      }
      if (this.stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.intervalMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private withDeadline<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`round took longer than ${this.options.deadlineMs} ms`)), this.options.deadlineMs);
    });
    return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
  }

  private async connection(): Promise<RawKafkaClient> {
    if (this.client !== undefined && !this.client.isClosed) return this.client;
    const client = await RawKafkaClient.connect(this.options.port, this.options.host);
    this.client = client;
    const created = decodeCreateTopicsResponse(await client.request(API_KEYS.CreateTopics, 7, (w) => encodeCreateTopicsRequest(w, makeCreateTopicsRequest({
      topics: [makeCreateTopicsRequestCreatableTopic({ name: this.options.topic, numPartitions: 1, replicationFactor: 1 })],
      timeoutMs: 30_000,
    }), 7)), 7);
    const code = created.topics[0]?.errorCode;
    check(code === 0 || code === TOPIC_ALREADY_EXISTS, `CreateTopics ${this.options.topic}: error ${code}`);
    return client;
  }

  private async round(n: number): Promise<void> {
    const client = await this.connection();
    const topic = this.options.topic;

    const versions = decodeApiVersionsResponse(await client.request(API_KEYS.ApiVersions, 3, (w) => encodeApiVersionsRequest(w, makeApiVersionsRequest({ clientSoftwareName: 'weir-good', clientSoftwareVersion: '1' }), 3)), 3);
    check(versions.errorCode === 0 && versions.apiKeys.length > 0, `ApiVersions: error ${versions.errorCode}`);

    const metadata = decodeMetadataResponse(await client.request(API_KEYS.Metadata, 12, (w) => encodeMetadataRequest(w, makeMetadataRequest({ topics: [makeMetadataRequestTopic({ name: topic })] }), 12)), 12);
    const described = metadata.topics[0];
    check(described?.errorCode === 0 && described.partitions[0]?.leaderId === 1, `Metadata ${topic}: error ${described?.errorCode}, leader ${described?.partitions[0]?.leaderId}`);

    const value = Buffer.from(`good-${n}`);
    const produced = decodeProduceResponse(await client.request(API_KEYS.Produce, 9, (w) => encodeProduceRequest(w, makeProduceRequest({
      acks: -1,
      timeoutMs: 30_000,
      topicData: [makeProduceRequestTopicProduceData({
        name: topic,
        partitionData: [makeProduceRequestPartitionProduceData({ index: 0, records: encodeRecordBatch({ records: [{ key: null, value }], defaultTimestamp: Date.now() }) })],
      })],
    }), 9)), 9);
    const appended = produced.responses[0]?.partitionResponses[0];
    check(appended?.errorCode === 0, `Produce ${topic}: error ${appended?.errorCode}`);
    const offset = appended!.baseOffset;

    const fetched = decodeFetchResponse(await client.request(API_KEYS.Fetch, 13, (w) => encodeFetchRequest(w, makeFetchRequest({
      maxWaitMs: 0,
      minBytes: 1,
      topics: [makeFetchRequestTopic({ topicId: described!.topicId, partitions: [makeFetchRequestPartition({ partition: 0, fetchOffset: offset, partitionMaxBytes: 1 << 20 })] })],
    }), 13)), 13);
    const data = fetched.responses[0]?.partitions[0];
    check(fetched.errorCode === 0 && data?.errorCode === 0, `Fetch ${topic}: error ${fetched.errorCode}/${data?.errorCode}`);
    check(data!.records !== null && data!.records.length > 0, `Fetch ${topic} at ${offset}: no records`);
    const batch = decodeRecordBatch(data!.records!);
    const record = batch.records.find((r) => r.offset === offset);
    check(record?.value?.equals(value) === true, `Fetch ${topic} at ${offset}: read back ${record?.value?.toString() ?? 'nothing'}, produced ${value.toString()}`);

    const listed = decodeListOffsetsResponse(await client.request(API_KEYS.ListOffsets, 7, (w) => encodeListOffsetsRequest(w, makeListOffsetsRequest({
      replicaId: -1,
      topics: [makeListOffsetsRequestTopic({ name: topic, partitions: [makeListOffsetsRequestPartition({ partitionIndex: 0, timestamp: -1n })] })],
    }), 7)), 7);
    const end = listed.topics[0]?.partitions[0];
    check(end?.errorCode === 0 && end.offset === offset + 1n, `ListOffsets ${topic}: error ${end?.errorCode}, end ${end?.offset}, expected ${offset + 1n}`);
  }
}
