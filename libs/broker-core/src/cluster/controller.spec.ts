import { afterEach, describe, expect, it } from '@jest/globals';
import { DEFAULT_BROKER_DEFAULTS } from '../broker/broker-options.js';
import { createTopicOps, setConfigOps } from '../broker/topic-znodes.js';
import {
  BrokerIdZNode, ControllerEpochZNode, KAFKA_PERSISTENT_PATHS, KafkaPaths, PartitionStateZNode, type PartitionState,
} from '../registry/kafka-znodes.js';
import { InMemoryRegistryStore } from '../registry/memory-store.js';
import { Registry } from '../registry/registry.js';
import { SystemTime } from '../time.js';
import { SystemTimer } from '../timer/system-timer.js';
import { Controller } from './controller.js';

/**
 * The controller against a registry alone (no brokers): it decides from the znodes and
 * writes partition states in fenced multis. A controller whose epoch is no longer the
 * current one changes nothing and steps down.
 */
let registry: Registry;
let timer: SystemTimer;
const controllers: Controller[] = [];

afterEach(async () => {
  for (const c of controllers.splice(0)) await c.stop();
  await registry.close();
  timer.close();
});

async function setUp(isr: number[] = [1, 2, 3]): Promise<{ epochZkVersion: number }> {
  timer = new SystemTimer();
  registry = await Registry.open({ store: new InMemoryRegistryStore(), time: new SystemTime(), scheduler: timer, onError: () => undefined });
  for (const path of KAFKA_PERSISTENT_PATHS) await registry.create(path);
  await registry.create(KafkaPaths.controllerEpoch, ControllerEpochZNode.encode(1));
  const session = await registry.createSession(60_000);
  for (const id of [2, 3]) {
    const registration = { host: '127.0.0.1', port: 9000 + id, endpoints: [], listenerSecurityProtocolMap: {}, jmxPort: -1, timestampMs: 0 };
    await registry.create(KafkaPaths.brokerId(id), BrokerIdZNode.encode(registration), { mode: 'EPHEMERAL', sessionId: session });
  }
  // Broker 1 led the partition and is gone; 2 and 3 are alive (and in sync unless `isr` says otherwise).
  const state: PartitionState = { controllerEpoch: 1, leader: 1, leaderEpoch: 3, isr };
  await registry.multi(createTopicOps('t', 'AAAAAAAAAAAAAAAAAAAAAQ', new Map([[0, [1, 2, 3]]]), new Map([[0, state]]), {}));
  return { epochZkVersion: registry.exists(KafkaPaths.controllerEpoch)!.version };
}

function controller(epoch: number, epochZkVersion: number, onFenced: () => void = () => undefined): Controller {
  const c = new Controller({ registry, timer, logger: { info: () => undefined, warn: () => undefined, error: () => undefined }, brokerId: 2, defaults: DEFAULT_BROKER_DEFAULTS, onFenced }, epoch, epochZkVersion);
  controllers.push(c);
  return c;
}

const state = () => PartitionStateZNode.decode(registry.getData(KafkaPaths.partitionState('t', 0)).data);

async function until(what: string, condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('Controller', () => {
  it('elects a live in-sync replica for a partition whose leader is gone, under its own epoch', async () => {
    const { epochZkVersion } = await setUp();
    controller(1, epochZkVersion).start();
    await until('an election', () => state().leader !== 1);
    expect(state()).toEqual({ controllerEpoch: 1, leader: 2, leaderEpoch: 4, isr: [2, 3] });
  });

  it('is fenced once another controller moved /controller_epoch on: nothing it decides is written', async () => {
    const { epochZkVersion } = await setUp();
    // A newer controller was elected while this one was paused.
    await registry.setData(KafkaPaths.controllerEpoch, ControllerEpochZNode.encode(2), epochZkVersion);
    let fenced = false;
    const stale = controller(1, epochZkVersion, () => (fenced = true));
    stale.start();
    await until('the stale controller to be fenced', () => fenced);
    expect(stale.active).toBe(false);
    expect(state()).toEqual({ controllerEpoch: 1, leader: 1, leaderEpoch: 3, isr: [1, 2, 3] });
  });

  it('keeps a partition without live in-sync replicas offline, and elects uncleanly once the topic allows it', async () => {
    const { epochZkVersion } = await setUp([1]);
    controller(1, epochZkVersion).start();
    await until('the partition to go leaderless', () => state().leader === -1);
    expect(state()).toEqual({ controllerEpoch: 1, leader: -1, leaderEpoch: 4, isr: [1] });
    await registry.multi(setConfigOps('t', { 'unclean.leader.election.enable': 'true' }));
    await until('an unclean election', () => state().leader === 2);
    expect(state()).toEqual({ controllerEpoch: 1, leader: 2, leaderEpoch: 5, isr: [2] });
  });

  it('takes a preferred election request, carries it out and removes the request', async () => {
    const { epochZkVersion } = await setUp();
    controller(1, epochZkVersion).start();
    await until('an election', () => state().leader === 2);
    // Broker 1 returns and catches up; preferred election moves leadership back to it.
    const session = await registry.createSession(60_000);
    const registration = { host: '127.0.0.1', port: 9001, endpoints: [], listenerSecurityProtocolMap: {}, jmxPort: -1, timestampMs: 0 };
    await registry.create(KafkaPaths.brokerId(1), BrokerIdZNode.encode(registration), { mode: 'EPHEMERAL', sessionId: session });
    const current = registry.getData(KafkaPaths.partitionState('t', 0));
    await registry.setData(KafkaPaths.partitionState('t', 0), PartitionStateZNode.encode({ ...state(), isr: [2, 3, 1] }), current.stat.version);
    await registry.create(KafkaPaths.preferredReplicaElection, new TextEncoder().encode('{"version":1,"partitions":[{"topic":"t","partition":0}]}'));
    await until('the request handled', () => registry.exists(KafkaPaths.preferredReplicaElection) === null);
    expect(state()).toMatchObject({ leader: 1, leaderEpoch: 5, isr: [2, 3, 1] });
  });
});
