import { ConfigError, loadGatewayConfig } from './gateway-config.js';

describe('loadGatewayConfig: brokers of the process', () => {
  it('hosts one broker on 9092 with Kafka defaults when nothing is set', () => {
    const config = loadGatewayConfig({});
    expect(config.brokerIds).toEqual([1]);
    expect(config.kafkaPorts).toEqual([9092]);
    expect(config.brokerDefaults).toEqual({});
    expect(config.rack).toBeUndefined();
  });

  it('numbers WEIR_BROKERS brokers from WEIR_BROKER_ID, on consecutive ports or all on free ones', () => {
    expect(loadGatewayConfig({ WEIR_BROKERS: '3', WEIR_BROKER_ID: '4', WEIR_KAFKA_PORT: '9100' })).toMatchObject({ brokerIds: [4, 5, 6], kafkaPorts: [9100, 9101, 9102] });
    expect(loadGatewayConfig({ WEIR_BROKERS: '2', WEIR_KAFKA_PORT: '0' })).toMatchObject({ brokerIds: [1, 2], kafkaPorts: [0, 0] });
  });

  it('passes the broker settings it is given under Kafka\'s names', () => {
    const config = loadGatewayConfig({
      WEIR_SESSION_TIMEOUT_MS: '6000',
      WEIR_REPLICA_LAG_TIME_MAX_MS: '10000',
      WEIR_DEFAULT_REPLICATION_FACTOR: '3',
      WEIR_NUM_PARTITIONS: '6',
      WEIR_AUTO_LEADER_REBALANCE_ENABLE: 'false',
      WEIR_LEADER_IMBALANCE_CHECK_INTERVAL_MS: '30000',
      WEIR_CONTROLLED_SHUTDOWN_ENABLE: 'true',
      WEIR_RACK: 'rack-a',
    });
    expect(config.brokerDefaults).toEqual({
      sessionTimeoutMs: 6000,
      replicaLagTimeMaxMs: 10000,
      defaultReplicationFactor: 3,
      numPartitions: 6,
      autoLeaderRebalanceEnable: false,
      leaderImbalanceCheckIntervalMs: 30000,
      controlledShutdownEnable: true,
    });
    expect(config.rack).toBe('rack-a');
  });

  it.each([
    [{ WEIR_BROKERS: '0' }, 'WEIR_BROKERS'],
    [{ WEIR_BROKERS: '17' }, 'WEIR_BROKERS'],
    [{ WEIR_BROKERS: '3', WEIR_KAFKA_PORT: '65534' }, 'WEIR_KAFKA_PORT'],
    [{ WEIR_AUTO_LEADER_REBALANCE_ENABLE: 'yes' }, 'WEIR_AUTO_LEADER_REBALANCE_ENABLE'],
    [{ WEIR_SESSION_TIMEOUT_MS: '0' }, 'WEIR_SESSION_TIMEOUT_MS'],
    [{ WEIR_DEFAULT_REPLICATION_FACTOR: 'three' }, 'WEIR_DEFAULT_REPLICATION_FACTOR'],
  ])('refuses %j naming %s', (env, variable) => {
    expect(() => loadGatewayConfig(env)).toThrow(ConfigError);
    expect(() => loadGatewayConfig(env)).toThrow(variable);
  });
});
