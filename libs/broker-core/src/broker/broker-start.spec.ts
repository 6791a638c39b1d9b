import { afterEach, describe, expect, it } from '@jest/globals';
import { BrokerIdZNode, ClusterIdZNode, ControllerEpochZNode, ControllerZNode, KafkaPaths } from '../registry/kafka-znodes.js';
import { BrokerHarness } from './testing/broker-harness.js';

describe('Broker start and close', () => {
  let h: BrokerHarness;
  afterEach(async () => h.close());

  it('creates the cluster id once, registers itself and claims the controller', async () => {
    h = await BrokerHarness.start();
    const { registry, broker } = h;
    const clusterId = ClusterIdZNode.decode(registry.getData(KafkaPaths.clusterId).data);
    expect(broker.clusterId).toBe(clusterId);
    expect(clusterId).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);

    const registration = registry.getData(KafkaPaths.brokerId(1));
    expect(registration.stat.ephemeralOwner).toBeGreaterThan(0);
    const decoded = BrokerIdZNode.decode(registration.data);
    expect(decoded).toMatchObject({ version: 5, host: 'localhost', port: 9092, endpoints: ['PLAINTEXT://localhost:9092'] });
    expect(JSON.parse(Buffer.from(registration.data).toString())).toMatchObject({ listener_security_protocol_map: { PLAINTEXT: 'PLAINTEXT' }, jmx_port: -1 });

    expect(ControllerZNode.decode(registry.getData(KafkaPaths.controller).data).brokerId).toBe(1);
    expect(registry.getData(KafkaPaths.controller).stat.ephemeralOwner).toBe(registration.stat.ephemeralOwner);
    expect(ControllerEpochZNode.decode(registry.getData(KafkaPaths.controllerEpoch).data)).toBe(1);
    expect(broker.describeCluster()).toEqual({
      clusterId, controllerId: 1, brokers: [{ brokerId: 1, host: 'localhost', port: 9092, rack: null }],
    });
  });

  it('keeps the cluster id across restarts, bumps the controller epoch and deregisters on close', async () => {
    h = await BrokerHarness.start();
    const clusterId = h.broker.clusterId;
    await h.restart();
    expect(h.broker.clusterId).toBe(clusterId);
    expect(ControllerEpochZNode.decode(h.registry.getData(KafkaPaths.controllerEpoch).data)).toBe(2);
    await h.broker.close();
    expect(h.registry.exists(KafkaPaths.brokerId(1))).toBeNull();
    expect(h.registry.exists(KafkaPaths.controller)).toBeNull();
  });

  it('keeps its registration alive with heartbeats across many session timeouts', async () => {
    h = await BrokerHarness.start({ sessionTimeoutMs: 6000 });
    const owner = h.registry.getData(KafkaPaths.brokerId(1)).stat.ephemeralOwner;
    for (let i = 0; i < 20; i++) {
      h.time.advance(1000);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    expect(h.registry.getData(KafkaPaths.brokerId(1)).stat.ephemeralOwner).toBe(owner);
  });

  it('waits for a crashed run’s registration to expire, then registers with a new session', async () => {
    h = await BrokerHarness.start({ sessionTimeoutMs: 6000 });
    const oldOwner = h.registry.getData(KafkaPaths.brokerId(1)).stat.ephemeralOwner;
    await h.crashAndRestart();
    const owner = h.registry.getData(KafkaPaths.brokerId(1)).stat.ephemeralOwner;
    expect(owner).not.toBe(oldOwner);
    expect(h.broker.describeCluster().controllerId).toBe(1);
  });

  it('registers again with a new session when its session expires (a long pause)', async () => {
    h = await BrokerHarness.start({ sessionTimeoutMs: 6000 });
    const oldOwner = h.registry.getData(KafkaPaths.brokerId(1)).stat.ephemeralOwner;
    h.time.advance(10_000); // the heartbeat comes too late
    const reRegistered = (): boolean => [undefined, oldOwner].includes(h.registry.exists(KafkaPaths.brokerId(1))?.ephemeralOwner) === false;
    for (let i = 0; i < 50 && !reRegistered(); i++) await new Promise<void>((resolve) => setImmediate(resolve));
    const owner = h.registry.getData(KafkaPaths.brokerId(1)).stat.ephemeralOwner;
    expect(owner).not.toBe(oldOwner);
    expect(h.registry.getData(KafkaPaths.controller).stat.ephemeralOwner).toBe(owner);
    expect(ControllerEpochZNode.decode(h.registry.getData(KafkaPaths.controllerEpoch).data)).toBe(2);
  });
});
