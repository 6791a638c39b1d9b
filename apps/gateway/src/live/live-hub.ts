import { type BrokerApi, type BrokerChange, type Cancellable, type ClusterHealth, isKafkaError, type Scheduler, type Time } from '@weir/broker-core';
import { type ClusterSummary, type LiveChannel, liveClientMessageSchema, type LiveServerFrame, type TopicChange } from '@weir/contracts';
import { type LiveSocket, OPEN } from './live-socket.js';
import { ClusterHistory } from './cluster-history.js';
import { DelayedOperationsWatch } from './delayed-operations-watch.js';
import { GroupsWatch } from './groups-watch.js';
import { RecordsTail } from './records-tail.js';
import type { SampledChannelSource } from './sampled-channel.js';
import { ThroughputSampler } from './throughput-sampler.js';
import { TransactionsWatch } from './transactions-watch.js';

/** A client that has this much unsent is too slow: it misses samples until it catches up. */
const SLOW_CLIENT_BYTES = 4 * 1024 * 1024;

/** Offsets, leader and ISR of a partition as the `partitions` frame carries them. */
type PartitionUpdate = { high_watermark?: number; last_stable_offset?: number; log_start_offset?: number; leader?: number; isr?: number[] };

/**
 * Fans broker changes and throughput out to WebSocket clients by channel. Topic-level
 * changes go out at once; partition moves (offsets on every produce, leader and ISR on
 * elections and ISR changes) are coalesced per topic and flushed with each sample, and
 * so is the cluster summary after broker or partition state changes (a broker failure
 * moves hundreds of partitions; the summary is computed once per sample, not per move).
 * One sampling task runs on the shared timer, re-armed after each run, and only while
 * some client is subscribed to something. A moved HW goes out with the partition's LSO,
 * read once per topic per sample. Channels without change events (transactions and the
 * like) are read once per sample while someone watches them, by their SampledChannelSource.
 */
export class LiveHub {
  private readonly clients = new Map<LiveSocket, Set<LiveChannel>>();
  private readonly sampler = new ThroughputSampler();
  /** topic -> partition -> latest offsets, for topics someone watches. */
  private readonly pendingOffsets = new Map<string, Map<number, PartitionUpdate>>();
  /** Brokers or partition states changed since the last sample: cluster subscribers get a new summary. */
  private clusterSummaryDue = false;
  private sampleTask: Cancellable | undefined;
  private readonly unsubscribe: () => void;
  private readonly sources: readonly SampledChannelSource[];
  /** The overview's trend: sampled on its own low-rate timer, sent to each new `cluster` subscriber. */
  private readonly history: ClusterHistory;

  constructor(
    private readonly broker: BrokerApi,
    private readonly scheduler: Scheduler,
    private readonly time: Time,
    readonly sampleIntervalMs: number,
  ) {
    this.unsubscribe = broker.onChange((change) => this.onChange(change));
    this.sources = [new TransactionsWatch(broker), new RecordsTail(broker), new GroupsWatch(broker), new DelayedOperationsWatch(broker, time)];
    this.history = new ClusterHistory(broker, scheduler, time).start();
  }

  private sourceOf(channel: LiveChannel): SampledChannelSource | undefined {
    return this.sources.find((s) => s.serves(channel));
  }

  add(client: LiveSocket): void {
    this.clients.set(client, new Set());
  }

  remove(client: LiveSocket): void {
    const channels = this.clients.get(client);
    this.clients.delete(client);
    for (const channel of channels ?? []) this.releaseIfUnwatched(channel);
    this.maybeStopSampling();
  }

  /** One client message; anything malformed is answered with an error frame, never thrown. */
  receive(client: LiveSocket, data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
    try {
      this.handle(client, data, isBinary);
    } catch (err) {
      // Runs in the socket's event handler, where a throw would take the process down.
      this.send(client, { type: 'error', message: `could not handle the message: ${err instanceof Error ? err.message : String(err)}` });
    }
  }

  private handle(client: LiveSocket, data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
    const channels = this.clients.get(client);
    if (channels === undefined) return;
    if (isBinary) return this.send(client, { type: 'error', message: 'binary frames are not accepted; send JSON text' });
    let json: unknown;
    try {
      json = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString('utf8'));
    } catch {
      return this.send(client, { type: 'error', message: 'message is not valid JSON' });
    }
    const parsed = liveClientMessageSchema.safeParse(json);
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
      return this.send(client, { type: 'error', message: `invalid message: ${why}` });
    }
    const message = parsed.data;
    switch (message.op) {
      case 'ping':
        return this.send(client, { type: 'pong' });
      case 'subscribe':
        channels.add(message.channel);
        this.send(client, { type: 'subscribed', channel: message.channel });
        this.sendSnapshot(client, message.channel);
        return this.maybeStartSampling();
      case 'unsubscribe':
        channels.delete(message.channel);
        this.send(client, { type: 'unsubscribed', channel: message.channel });
        this.releaseIfUnwatched(message.channel);
        return this.maybeStopSampling();
      default: {
        const never: never = message;
        throw new Error(`unhandled op ${JSON.stringify(never)}`);
      }
    }
  }

  close(): void {
    this.unsubscribe();
    this.sampleTask?.cancel();
    this.sampleTask = undefined;
    this.history.stop();
    this.clients.clear();
  }

  private onChange(change: BrokerChange): void {
    switch (change.type) {
      case 'topic-created':
      case 'topic-deleted':
      case 'configs-changed':
        return this.topicChanged({ kind: change.type, topic: change.topic });
      case 'partitions-created':
        return this.topicChanged({ kind: 'partitions-created', topic: change.topic, partitions_count: change.partitions });
      case 'records-appended':
        return this.offsetMoved(change.topic, change.partition, { high_watermark: Number(change.highWatermark) });
      case 'log-start-moved':
        return this.offsetMoved(change.topic, change.partition, { log_start_offset: Number(change.logStartOffset) });
      case 'partition-changed':
        this.clusterSummaryDue = true;
        return this.offsetMoved(change.topic, change.partition, { leader: change.leader, isr: [...change.isr] });
      case 'brokers-changed':
        this.clusterSummaryDue = true;
        return;
      default: {
        // A change type this hub does not know yet is not worth failing the broker's emitter for.
        return void (change satisfies never);
      }
    }
  }

  private topicChanged(change: TopicChange): void {
    const topicChannel: LiveChannel = `topic:${change.topic}`;
    const structural = change.kind !== 'configs-changed';
    const cluster = structural && this.anySubscribed('cluster') ? this.clusterSummary() : undefined;
    for (const [client, channels] of this.clients) {
      if (channels.has('topics')) this.send(client, { type: 'topic-change', channel: 'topics', change });
      if (channels.has(topicChannel)) this.send(client, { type: 'topic-change', channel: topicChannel, change });
      if (cluster !== undefined && channels.has('cluster')) this.send(client, { type: 'cluster', channel: 'cluster', cluster });
    }
  }

  private offsetMoved(topic: string, partition: number, offsets: PartitionUpdate): void {
    if (!this.anySubscribed(`topic:${topic}`)) return;
    let partitions = this.pendingOffsets.get(topic);
    if (partitions === undefined) this.pendingOffsets.set(topic, (partitions = new Map()));
    partitions.set(partition, { ...partitions.get(partition), ...offsets });
  }

  private sendSnapshot(client: LiveSocket, channel: LiveChannel): void {
    if (channel === 'cluster') {
      this.send(client, this.history.frame());
      const cluster = this.clusterSummary();
      return cluster === undefined ? undefined : this.send(client, { type: 'cluster', channel, cluster });
    }
    if (channel === 'topics') return;
    const source = this.sourceOf(channel);
    if (source !== undefined) return source.snapshot(channel, (frame) => this.send(client, frame));
    if (!channel.startsWith('topic:')) return;
    const topic = channel.slice('topic:'.length);
    let description;
    try {
      description = this.broker.describeTopic(topic);
    } catch (err) {
      if (isKafkaError(err)) return; // it may be created later; its topic-created change will come
      throw err;
    }
    const partitions = description.partitions.map((p) => ({
      partition: p.partition,
      high_watermark: Number(p.highWatermark),
      last_stable_offset: Number(p.lastStableOffset),
      log_start_offset: Number(p.logStartOffset),
      leader: p.leader,
      isr: [...p.isr],
    }));
    this.send(client, { type: 'partitions', channel, topic, partitions });
  }

  /** Undefined while the cluster cannot be read (no broker of this process running). */
  private clusterSummary(): ClusterSummary | undefined {
    try {
      const cluster = this.broker.describeCluster();
      const topics = this.broker.topicStats();
      return {
        cluster_id: cluster.clusterId,
        controller_id: cluster.controllerId,
        brokers_count: cluster.brokers.length,
        topics_count: topics.length,
        partitions_count: topics.reduce((n, t) => n + t.partitions, 0),
        health: this.healthSummary(),
      };
    } catch (err) {
      if (isKafkaError(err)) return undefined;
      throw err;
    }
  }

  private healthSummary(): ClusterSummary['health'] {
    try {
      return toHealthSummary(this.broker.clusterHealth());
    } catch (err) {
      if (isKafkaError(err)) return null;
      throw err;
    }
  }

  private anySubscribed(channel?: LiveChannel): boolean {
    for (const channels of this.clients.values()) {
      if (channel === undefined ? channels.size > 0 : channels.has(channel)) return true;
    }
    return false;
  }

  private maybeStartSampling(): void {
    if (this.sampleTask !== undefined) return;
    this.sampler.reset(this.broker.topicCounters(), this.time.hiResMilliseconds());
    this.sampleTask = this.scheduler.schedule(this.sampleIntervalMs, () => this.tick());
  }

  private maybeStopSampling(): void {
    if (this.sampleTask === undefined || this.anySubscribed()) return;
    this.sampleTask.cancel();
    this.sampleTask = undefined;
    this.pendingOffsets.clear();
  }

  private releaseIfUnwatched(channel: LiveChannel): void {
    if (!this.anySubscribed(channel)) this.sourceOf(channel)?.release(channel);
  }

  private tick(): void {
    this.sampleTask = undefined;
    if (!this.anySubscribed()) return;
    this.sampleTask = this.scheduler.schedule(this.sampleIntervalMs, () => this.tick());
    const sample = this.sampler.sample(this.broker.topicCounters(), this.time.hiResMilliseconds());
    const at = this.time.milliseconds();
    const offsets = new Map(this.pendingOffsets);
    this.pendingOffsets.clear();
    this.addStableOffsets(offsets);
    this.sampleSources();
    const cluster = this.clusterSummaryDue && this.anySubscribed('cluster') ? this.clusterSummary() : undefined;
    // Idle topics are left out: 10,000 topics at zero would be a megabyte a second per viewer.
    const activeTopics = sample.topics.filter((t) => t.records_in_per_sec > 0 || t.records_out_per_sec > 0 || t.bytes_in_per_sec > 0 || t.bytes_out_per_sec > 0);
    this.clusterSummaryDue = false;
    for (const [client, channels] of this.clients) {
      if (client.bufferedAmount > SLOW_CLIENT_BYTES) continue;
      for (const channel of channels) {
        if (channel === 'cluster' && cluster !== undefined) this.send(client, { type: 'cluster', channel, cluster });
        if (this.sourceOf(channel) !== undefined) continue;
        if (channel === 'cluster' || channel === 'topics') {
          const topics = channel === 'topics' ? activeTopics : [];
          this.send(client, { type: 'throughput', channel, at, interval_ms: sample.intervalMs, total: sample.total, topics });
          continue;
        }
        if (!channel.startsWith('topic:')) continue;
        const topic = channel.slice('topic:'.length);
        const own = sample.topics.find((t) => t.topic === topic);
        const { topic: _name, ...total } = own ?? { topic, records_in_per_sec: 0, bytes_in_per_sec: 0, records_out_per_sec: 0, bytes_out_per_sec: 0 };
        this.send(client, { type: 'throughput', channel, at, interval_ms: sample.intervalMs, total, topics: own === undefined ? [] : [own] });
        const moved = offsets.get(topic);
        if (moved !== undefined) {
          const partitions = [...moved].map(([partition, o]) => ({ partition, ...o }));
          this.send(client, { type: 'partitions', channel, topic, partitions });
        }
      }
    }
  }

  /**
   * Every moved HW goes with the LSO, both read from one description of its topic at this
   * sample, so a frame never shows an LSO above its HW.
   */
  private addStableOffsets(offsets: Map<string, Map<number, PartitionUpdate>>): void {
    for (const [topic, partitions] of offsets) {
      let described;
      try {
        described = this.broker.describeTopic(topic);
      } catch (err) {
        if (isKafkaError(err)) continue; // deleted since; its topic-deleted change says so
        throw err;
      }
      for (const p of described.partitions) {
        const update = partitions.get(p.partition);
        if (update?.high_watermark === undefined) continue;
        update.high_watermark = Number(p.highWatermark);
        update.last_stable_offset = Number(p.lastStableOffset);
      }
    }
  }

  /** Each source reads once for all the channels of it someone watches. */
  private sampleSources(): void {
    const watched = new Map<SampledChannelSource, Set<LiveChannel>>();
    for (const channels of this.clients.values()) {
      for (const channel of channels) {
        const source = this.sourceOf(channel);
        if (source === undefined) continue;
        let set = watched.get(source);
        if (set === undefined) watched.set(source, (set = new Set()));
        set.add(channel);
      }
    }
    for (const [source, channels] of watched) source.sample(channels, (channel, frame) => this.publish(channel, frame));
  }

  private publish(channel: LiveChannel, frame: LiveServerFrame): void {
    for (const [client, channels] of this.clients) {
      if (channels.has(channel) && client.bufferedAmount <= SLOW_CLIENT_BYTES) this.send(client, frame);
    }
  }

  private send(client: LiveSocket, frame: LiveServerFrame): void {
    if (client.readyState !== OPEN) return;
    client.send(JSON.stringify(frame));
  }
}

function toHealthSummary(health: ClusterHealth): NonNullable<ClusterSummary['health']> {
  return {
    brokers_online: health.brokersOnline,
    brokers_offline: health.brokersOffline,
    under_replicated_partitions: health.underReplicated,
    under_min_isr_partitions: health.underMinIsr,
    offline_partitions: health.offline,
  };
}
