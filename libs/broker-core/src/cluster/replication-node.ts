import type { BrokerEvents } from '../broker/broker-events.js';
import type { ClientSecurity } from '../kafka-client/client-security.js';
import type { BrokerDefaults, BrokerLogger } from '../broker/broker-options.js';
import type { ClusterMembership } from '../broker/cluster-membership.js';
import type { HighWatermarkCheckpoints } from '../broker/hw-checkpoints.js';
import type { LogDirs } from '../broker/log-dirs.js';
import { MetadataSync } from '../broker/metadata-sync.js';
import { PeriodicTask } from '../broker/periodic-task.js';
import type { ReplicaManager } from '../broker/replica-manager.js';
import type { Topic } from '../broker/topic.js';
import type { TopicTable } from '../broker/topic-table.js';
import type { Registry } from '../registry/registry.js';
import type { Time } from '../time.js';
import type { Timer } from '../timer/system-timer.js';
import type { ControllerHost } from './controller-host.js';
import { IsrUpdater } from './isr-updater.js';
import { createReplicaFetchers } from './replica-fetchers.js';
import { ReplicaRoles, type FetcherControl, type ReplicaRolesContext } from './replica-roles.js';

export interface ReplicationNodeContext {
  readonly brokerId: number;
  /** TLS and SASL of the replica fetchers towards leaders in other processes. */
  readonly interBrokerSecurity?: ClientSecurity;
  readonly registry: Registry;
  readonly membership: ClusterMembership;
  readonly controllerHost: ControllerHost;
  readonly table: TopicTable;
  readonly replicas: ReplicaManager;
  readonly events: BrokerEvents;
  readonly logDirs: LogDirs;
  readonly hwCheckpoints: HighWatermarkCheckpoints;
  readonly time: Time;
  readonly timer: Timer;
  readonly logger: BrokerLogger;
  readonly defaults: BrokerDefaults;
  /** A topic left the table (deleted here or elsewhere): the broker forgets it and removes its logs. */
  readonly onTopicGone: (topic: Topic) => void;
  /** Partitions this broker began or stopped leading (ReplicaRoles' hook; the group coordinator uses it). */
  readonly onLeadership?: ReplicaRolesContext['onLeadership'];
}

/**
 * A broker's part in the cluster, wired together: MetadataSync (the registry's state into
 * the topic table), ReplicaRoles (leading and following, ISR maintenance) with the
 * replica fetchers and the leader's ISR writes, the high watermark checkpoint, and the
 * controller role while this broker holds /controller. The Broker owns the topics and
 * the produce/fetch paths; this owns how they follow the cluster.
 */
export class ReplicationNode {
  private readonly fetchers: FetcherControl;
  private readonly roles: ReplicaRoles;
  private readonly sync: MetadataSync;
  private readonly hwCheckpointTask: PeriodicTask;

  constructor(private readonly ctx: ReplicationNodeContext) {
    const { brokerId, registry, membership, table, replicas, events, logDirs, time, timer, logger, defaults } = ctx;
    this.fetchers = createReplicaFetchers({
      brokerId, timer, time, logger, registry, defaults,
      ...(ctx.interBrokerSecurity === undefined ? {} : { security: ctx.interBrokerSecurity }),
    });
    const isr = new IsrUpdater({ registry, time, logger, onIsrChanged: (p) => this.roles.isrChanged(p), fenced: () => membership.fenced });
    this.roles = new ReplicaRoles({
      brokerId, table, replicas, fetchers: this.fetchers, isr, logDirs, events, timer, time, logger, replicaLagTimeMaxMs: defaults.replicaLagTimeMaxMs,
      ...(ctx.onLeadership === undefined ? {} : { onLeadership: ctx.onLeadership }),
    });
    this.sync = new MetadataSync({
      registry, table, logger, nowMs: () => time.milliseconds(),
      onChanges: (changes) => this.roles.apply(changes),
      onTopicGone: (topic) => {
        this.roles.forget(topic.partitions);
        ctx.onTopicGone(topic);
      },
      onBrokersChanged: () => events.emit({ type: 'brokers-changed' }),
    });
    this.hwCheckpointTask = new PeriodicTask('high watermark checkpoint', timer, defaults.replicaHighWatermarkCheckpointIntervalMs,
      () => ctx.hwCheckpoints.writeInBackground(table), logger);
    ctx.controllerHost.bind({ registry, timer, logger, brokerId, defaults, onFenced: () => membership.resignController() });
  }

  /** Reads every topic from the registry (opening local logs, taking up roles) and leaves the watches. */
  loadTopics(): void {
    this.sync.start();
  }

  /** Starts ISR maintenance and the HW checkpoint. */
  start(): void {
    this.roles.start();
    this.hwCheckpointTask.start();
  }

  /** Re-reads one topic now (after this broker changed it) and acts on what moved. */
  refresh(name: string): Topic | undefined {
    return this.sync.refresh(name);
  }

  /** Stops following the registry, replicating and the controller role; checkpoints the HWs last. */
  async close(): Promise<void> {
    this.sync.close();
    await Promise.all([this.hwCheckpointTask.stop(), this.roles.close()]);
    await this.fetchers.close();
    await this.ctx.controllerHost.close();
  }
}
