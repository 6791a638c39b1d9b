import type { BrokerEvents } from '../broker/broker-events.js';
import type { BrokerLogger } from '../broker/broker-options.js';
import type { ClusterMembership } from '../broker/cluster-membership.js';
import type { TopicTable } from '../broker/topic-table.js';
import { ControlledShutdownZNode, KafkaPaths } from '../registry/kafka-znodes.js';
import { isRegistryError } from '../registry/registry-error.js';
import type { Registry } from '../registry/registry.js';
import type { Timer } from '../timer/system-timer.js';
import { readLiveness } from './controller-view.js';

export interface ControlledShutdownContext {
  readonly registry: Registry;
  readonly timer: Timer;
  readonly membership: ClusterMembership;
  readonly table: TopicTable;
  readonly events: BrokerEvents;
  readonly brokerId: number;
  readonly logger: BrokerLogger;
  readonly timeoutMs: number;
}

/**
 * Kafka's controlled shutdown, broker side: before stopping, ask the controller to move
 * leadership away (Weir asks through an ephemeral /admin/controlled_shutdown/<id> node
 * carrying the broker epoch, where Kafka sends a ControlledShutdown request) and wait
 * until this broker leads no partition that another live in-sync replica could lead, or
 * `timeoutMs` passes. Clients then move to the new leaders before this broker's
 * connections close, instead of waiting for its session to expire.
 */
export async function controlledShutdown(ctx: ControlledShutdownContext): Promise<void> {
  const { registry, membership, brokerId, logger } = ctx;
  const others = membership.liveBrokers().filter((b) => b.brokerId !== brokerId);
  if (others.length === 0) return;
  try {
    await registry.create(KafkaPaths.controlledShutdownBroker(brokerId), ControlledShutdownZNode.encode(membership.brokerEpoch), {
      mode: 'EPHEMERAL', sessionId: membership.sessionId,
    });
  } catch (err) {
    if (!isRegistryError(err, 'NODEEXISTS')) throw err;
  }
  logger.info(`broker ${brokerId}: controlled shutdown requested; waiting for leadership to move`);
  const moved = await waitUntil(ctx, () => movableLeaderships(ctx) === 0);
  if (!moved) logger.warn(`broker ${brokerId}: controlled shutdown timed out with ${movableLeaderships(ctx)} partition(s) still led here`);
}

/**
 * Partitions this broker leads that another live ISR member, not itself shutting down,
 * could take over. Brokers stopping together (a whole process closing) therefore do not
 * wait for each other: leadership only moves to brokers that stay.
 */
function movableLeaderships(ctx: ControlledShutdownContext): number {
  const { isLive, shuttingDown } = readLiveness(ctx.registry);
  let count = 0;
  for (const topic of ctx.table.all()) {
    for (const p of topic.partitions) {
      if (p.leader !== ctx.brokerId) continue;
      if (p.isr.some((id) => id !== ctx.brokerId && isLive(id) && !shuttingDown.has(id))) count++;
    }
  }
  return count;
}

function waitUntil(ctx: ControlledShutdownContext, done: () => boolean): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    if (done()) {
      resolve(true);
      return;
    }
    const finish = (ok: boolean): void => {
      unsubscribe();
      deadline.cancel();
      resolve(ok);
    };
    const deadline = ctx.timer.schedule(ctx.timeoutMs, () => finish(done()));
    const unsubscribe = ctx.events.onChange((event) => {
      if ((event.type === 'partition-changed' || event.type === 'brokers-changed') && done()) finish(true);
    });
  });
}
