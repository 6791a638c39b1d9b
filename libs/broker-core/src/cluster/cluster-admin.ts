import type {
  BrokerStatus, ClusterHealth, ElectionType, PartitionOutcome, PartitionReassignment, ReassignmentChange, TopicPartitionRef,
} from '../broker/broker-api.js';
import type { ClusterMembership } from '../broker/cluster-membership.js';
import type { Partition } from '../broker/partition.js';
import { readTopic } from '../broker/topic-znodes.js';
import type { TopicTable } from '../broker/topic-table.js';
import { KAFKA_ERRORS, type KafkaErrorName } from '../errors.js';
import { KafkaPaths, PreferredReplicaElectionZNode, ReassignPartitionsZNode, type ReassignmentRequest } from '../registry/kafka-znodes.js';
import type { Registry } from '../registry/registry.js';
import type { Timer } from '../timer/system-timer.js';
import { submitAdminRequest } from './admin-requests.js';
import { currentControllerEpoch, readLiveness } from './controller-view.js';
import { invalidTarget, isReassigning } from './reassignment.js';

export interface ClusterAdminContext {
  readonly registry: Registry;
  readonly timer: Timer;
  readonly table: TopicTable;
  readonly membership: ClusterMembership;
  readonly brokerId: number;
  /** Bytes in this broker's partition logs. */
  readonly localLogDirSize: () => number;
  /** How long an election or reassignment request may wait for the controller. */
  readonly requestTimeoutMs: number;
}

/**
 * The cluster-wide views and operator actions behind BrokerApi (brokers, health, leader
 * elections, reassignments). Views are computed from the topic table, which every broker
 * keeps for every topic; actions go to the controller as request znodes and answer once
 * it has acted, with Kafka's per-partition error codes.
 */
export class ClusterAdmin {
  constructor(private readonly ctx: ClusterAdminContext) {}

  describeBrokers(): BrokerStatus[] {
    const { registry, membership, table, brokerId } = this.ctx;
    const liveness = readLiveness(registry);
    const controllerId = membership.controllerId();
    const stats = new Map<number, { led: number; replicas: number; outOfSync: number }>();
    const stat = (id: number): { led: number; replicas: number; outOfSync: number } => {
      let s = stats.get(id);
      if (s === undefined) stats.set(id, (s = { led: 0, replicas: 0, outOfSync: 0 }));
      return s;
    };
    for (const topic of table.all()) {
      for (const p of topic.partitions) {
        if (p.leader >= 0 && liveness.isLive(p.leader)) stat(p.leader).led++;
        for (const id of p.replicas) {
          stat(id).replicas++;
          if (!p.isr.includes(id)) stat(id).outOfSync++;
        }
      }
    }
    const out: BrokerStatus[] = [];
    const registered = new Map(membership.liveBrokers().map((b) => [b.brokerId, b]));
    for (const id of new Set([...registered.keys(), ...stats.keys()])) {
      const b = registered.get(id);
      const s = stats.get(id) ?? { led: 0, replicas: 0, outOfSync: 0 };
      out.push({
        brokerId: id, host: b?.host ?? null, port: b?.port ?? null, rack: b?.rack ?? null,
        status: b === undefined ? 'offline' : liveness.shuttingDown.has(id) ? 'shutting_down' : 'online',
        isController: id === controllerId, partitionsLed: s.led, replicas: s.replicas, outOfSyncReplicas: s.outOfSync,
        logDirSizeBytes: id === brokerId ? this.ctx.localLogDirSize() : null,
      });
    }
    return out.sort((a, b) => a.brokerId - b.brokerId);
  }

  clusterHealth(): ClusterHealth {
    const { registry, membership, table } = this.ctx;
    const liveness = readLiveness(registry);
    const assigned = new Set<number>();
    let partitions = 0;
    let underReplicated = 0;
    let underMinIsr = 0;
    let offline = 0;
    for (const topic of table.all()) {
      const minIsr = topic.config.minInsyncReplicas;
      for (const p of topic.partitions) {
        partitions++;
        for (const id of p.replicas) assigned.add(id);
        if (p.isr.length < p.replicas.length) underReplicated++;
        if (p.isr.length < minIsr) underMinIsr++;
        if (p.leader < 0 || !liveness.isLive(p.leader)) offline++;
      }
    }
    return {
      controllerId: membership.controllerId(),
      controllerEpoch: currentControllerEpoch(registry),
      brokersOnline: liveness.live.size,
      // Brokers the assignments name that have no registration (describeBrokers' offline ones).
      brokersOffline: [...assigned].filter((id) => !liveness.isLive(id)).length,
      partitions, underReplicated, underMinIsr, offline,
    };
  }

  async electLeaders(type: ElectionType, partitions: readonly TopicPartitionRef[] | null): Promise<PartitionOutcome[]> {
    const { registry, timer, table } = this.ctx;
    const liveness = readLiveness(registry);
    const refs = partitions ?? [...table.all()].flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partition })));
    const outcomes: PartitionOutcome[] = [];
    const eligible: TopicPartitionRef[] = [];
    for (const ref of refs) {
      const p = table.partition(ref.topic, ref.partition);
      const refusal = p === undefined ? 'UNKNOWN_TOPIC_OR_PARTITION' : electionRefusal(type, p, liveness.isLive);
      if (refusal === undefined) eligible.push(ref);
      else outcomes.push(outcome(ref, refusal, electionMessage(refusal, ref, type)));
    }
    if (eligible.length > 0) {
      const electionType = type === 'unclean' ? 1 : 0;
      const done = await submitAdminRequest(registry, timer, KafkaPaths.preferredReplicaElection, (existing) => {
        const merged = existing === undefined ? [] : PreferredReplicaElectionZNode.decode(existing).partitions;
        return PreferredReplicaElectionZNode.encode({ electionType, partitions: [...merged, ...eligible] });
      }, this.ctx.requestTimeoutMs);
      const after = readLiveness(registry);
      const records = new Map<string, ReturnType<typeof readTopic>>();
      for (const ref of eligible) {
        if (!records.has(ref.topic)) records.set(ref.topic, readTopic(registry, ref.topic));
        const record = records.get(ref.topic);
        const state = record?.states.get(ref.partition)?.state;
        const elected = state !== undefined && (type === 'preferred' ? state.leader === record?.assignment.get(ref.partition)?.[0] : state.leader >= 0 && after.isLive(state.leader));
        if (elected) outcomes.push(outcome(ref, undefined, null));
        else if (!done) outcomes.push(outcome(ref, 'REQUEST_TIMED_OUT', 'the controller did not carry out the election in time'));
        else outcomes.push(outcome(ref, type === 'preferred' ? 'PREFERRED_LEADER_NOT_AVAILABLE' : 'ELIGIBLE_LEADERS_NOT_AVAILABLE', electionMessage('ELIGIBLE_LEADERS_NOT_AVAILABLE', ref, type)));
      }
    }
    return outcomes;
  }

  async alterPartitionReassignments(changes: readonly ReassignmentChange[]): Promise<PartitionOutcome[]> {
    const { registry, timer, table } = this.ctx;
    const liveness = readLiveness(registry);
    const outcomes: PartitionOutcome[] = [];
    const accepted: ReassignmentRequest[] = [];
    for (const c of changes) {
      const p = table.partition(c.topic, c.partition);
      if (p === undefined) {
        outcomes.push(outcome(c, 'UNKNOWN_TOPIC_OR_PARTITION', `Topic or partition ${c.topic}-${c.partition} does not exist.`));
        continue;
      }
      if (c.replicas === null && !isReassigning({ replicas: p.replicas, adding: p.addingReplicas, removing: p.removingReplicas })) {
        outcomes.push(outcome(c, 'NO_REASSIGNMENT_IN_PROGRESS', `No reassignment of ${c.topic}-${c.partition} is in progress.`));
        continue;
      }
      const invalid = c.replicas === null ? undefined : invalidTarget(c.replicas, liveness.isLive);
      if (invalid !== undefined) {
        outcomes.push(outcome(c, 'INVALID_REPLICA_ASSIGNMENT', invalid));
        continue;
      }
      accepted.push({ topic: c.topic, partition: c.partition, replicas: c.replicas });
    }
    if (accepted.length > 0) {
      const done = await submitAdminRequest(registry, timer, KafkaPaths.reassignPartitions, (existing) => {
        const merged = existing === undefined ? [] : ReassignPartitionsZNode.decode(existing);
        const keys = new Set(accepted.map((a) => `${a.topic}-${a.partition}`));
        return ReassignPartitionsZNode.encode([...merged.filter((m) => !keys.has(`${m.topic}-${m.partition}`)), ...accepted]);
      }, this.ctx.requestTimeoutMs);
      for (const a of accepted) outcomes.push(done ? outcome(a, undefined, null) : outcome(a, 'REQUEST_TIMED_OUT', 'the controller did not take the reassignment in time'));
    }
    return outcomes;
  }

  listPartitionReassignments(partitions: readonly TopicPartitionRef[] | null): PartitionReassignment[] {
    const { table } = this.ctx;
    const candidates: Partition[] = partitions === null
      ? [...table.all()].flatMap((t) => t.partitions)
      : partitions.map((r) => table.partition(r.topic, r.partition)).filter((p): p is Partition => p !== undefined);
    return candidates
      .filter((p) => isReassigning({ replicas: p.replicas, adding: p.addingReplicas, removing: p.removingReplicas }))
      .map((p) => ({ topic: p.topic, partition: p.partition, replicas: p.replicas, addingReplicas: p.addingReplicas, removingReplicas: p.removingReplicas }));
  }
}

function electionRefusal(type: ElectionType, p: Partition, isLive: (id: number) => boolean): KafkaErrorName | undefined {
  if (type === 'preferred') {
    const preferred = p.replicas[0];
    if (p.leader === preferred) return 'ELECTION_NOT_NEEDED';
    if (preferred === undefined || !isLive(preferred) || !p.isr.includes(preferred)) return 'PREFERRED_LEADER_NOT_AVAILABLE';
    return undefined;
  }
  if (p.leader >= 0 && isLive(p.leader)) return 'ELECTION_NOT_NEEDED';
  if (!p.replicas.some(isLive)) return 'ELIGIBLE_LEADERS_NOT_AVAILABLE';
  return undefined;
}

function electionMessage(code: KafkaErrorName, ref: TopicPartitionRef, type: ElectionType): string {
  const name = `${ref.topic}-${ref.partition}`;
  switch (code) {
    case 'ELECTION_NOT_NEEDED': return `Leader election not needed for ${name}.`;
    case 'PREFERRED_LEADER_NOT_AVAILABLE': return `The preferred leader of ${name} is not available (not alive or not in sync).`;
    case 'UNKNOWN_TOPIC_OR_PARTITION': return `Topic or partition ${name} does not exist.`;
    default: return `No eligible replica of ${name} for a ${type} election.`;
  }
}

function outcome(ref: TopicPartitionRef, code: KafkaErrorName | undefined, message: string | null): PartitionOutcome {
  return { topic: ref.topic, partition: ref.partition, errorCode: code === undefined ? 0 : KAFKA_ERRORS[code].code, errorMessage: message };
}
