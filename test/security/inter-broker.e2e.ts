import type { SASLOptions } from 'kafkajs';
import kafkajs from 'kafkajs';
import { BrokerProcess, ProcessCluster, TEST_SESSION_TIMEOUT_MS, waitFor } from '../support/cluster-processes.js';
import { makeTestCertificates, type TestCertificates } from '../support/tls-certs.js';
import { produceAndConsume, secureKafka } from './sasl-clients.js';

/**
 * Brokers of separate processes on one PostgreSQL, their listeners SASL_SSL: followers
 * reach their leaders over TLS (verified against WEIR_TLS_CA_FILE) and authenticate with
 * SCRAM-SHA-512 as the inter-broker user, which the first gateway created. A broker
 * restarted with a wrong inter-broker password says so at start, logs the refused
 * authentication once per leader (not at every retry) and stays out of the ISR.
 * `npm run build` and PostgreSQL first.
 */
const BROKER_USER = 'weir-broker';
const BROKER_PASSWORD = 'inter-broker-secret-1';
const CLIENT = { name: 'app-producer', password: 'app-producer-secret-1' };
const TOPIC = 'secured-replication';

describe('inter-broker TLS and SASL between broker processes', () => {
  let certs: TestCertificates;
  let cluster: ProcessCluster;
  let env: Record<string, string>;
  let wrong: BrokerProcess | undefined;

  const client = () => secureKafka(cluster.kafkaAddresses[0]!, {
    ca: certs.ca, sasl: { mechanism: 'scram-sha-512', username: CLIENT.name, password: CLIENT.password } as SASLOptions, retries: 8,
  });

  beforeAll(async () => {
    certs = makeTestCertificates();
    env = {
      WEIR_KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
      WEIR_TLS_CERT_FILE: certs.certFile,
      WEIR_TLS_KEY_FILE: certs.keyFile,
      WEIR_TLS_CA_FILE: certs.caFile,
      WEIR_INTER_BROKER_USERNAME: BROKER_USER,
      WEIR_INTER_BROKER_PASSWORD: BROKER_PASSWORD,
    };
    cluster = await ProcessCluster.start({ name: 'inter_broker', brokers: 3, env });
    // Authentication is off for REST here (the harness's default); the Kafka listener still checks the users table.
    const res = await fetch(`${cluster.broker(1).baseUrl}/v3/users`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: CLIENT.name, role: 'operator', password: CLIENT.password }),
    });
    expect(res.status).toBe(201);
  }, 180_000);

  afterAll(async () => {
    await wrong?.kill();
    await cluster?.close();
    certs?.remove();
  }, 60_000);

  it('replicates a topic of replication factor 3 with every replica in the ISR; acks=all produce and read back as a SASL user', () =>
    cluster.withLogsOnFailure(async () => {
      expect(await produceAndConsume(client(), TOPIC, ['one', 'two', 'three'], 3)).toEqual(['one', 'two', 'three']);
      const [view] = await cluster.waitUntilFullyReplicated(TOPIC, 60_000);
      expect([...view!.isr].sort()).toEqual([1, 2, 3]);
      // The first gateway created the brokers' user; the password is in no log.
      const logs = cluster.brokers.map((b) => b.logTail(2000)).join('\n');
      expect(logs).toMatch(new RegExp(`created user "${BROKER_USER}" \\(role viewer\\) for inter-broker authentication`));
      expect(logs).toMatch(/to other gateways' brokers SASL_SSL \(SCRAM-SHA-512 as weir-broker\)/);
      expect(logs).not.toContain(BROKER_PASSWORD);
    }), 120_000);

  it('a broker with a wrong inter-broker password logs the refusal once per leader and stays out of the ISR', () =>
    cluster.withLogsOnFailure(async () => {
      const old = cluster.broker(3);
      await old.stop();
      await cluster.waitForPartition(TOPIC, 0, 'broker 3 out of the ISR', (v) => !v.isr.includes(3), 30_000);
      const refusedBefore = refusals(cluster);
      wrong = new BrokerProcess(3, old.dataDir, old.kafkaPort, old.logFile, {
        WEIR_LOG_LEVEL: 'log', WEIR_AUTH: 'off', WEIR_BROKERS: '1', WEIR_SESSION_TIMEOUT_MS: String(TEST_SESSION_TIMEOUT_MS),
        ...env,
        WEIR_INTER_BROKER_PASSWORD: 'not-the-broker-password',
        NO_COLOR: '1', WEIR_BROKER_ID: '3', WEIR_DATA_DIR: old.dataDir, WEIR_HOST: '127.0.0.1', WEIR_REST_PORT: '0',
        WEIR_KAFKA_PORT: String(old.kafkaPort), DATABASE_URL: cluster.database.url,
      });
      await wrong.start(cluster.readyWithinMs);
      const startLog = (): string => wrong!.logTail(5000).split(/==== broker 3 start #\d+ at /).pop()!;
      expect(startLog()).toMatch(/inter-broker user "weir-broker" exists with another password than WEIR_INTER_BROKER_PASSWORD/);
      // The leaders refuse it again and again (several retries)...
      await waitFor('the leaders refusing broker 3 at least 4 times', async () => refusals(cluster) >= refusedBefore + 4, 30_000, 200);
      // ...while broker 3 said so once per leader it follows, as an error.
      const lines = startLog().split('\n').filter((l) => /inter-broker authentication failed/.test(l));
      expect(lines.length).toBeGreaterThan(0);
      const perLeader = new Map<string, number>();
      for (const line of lines) {
        const leader = /replica fetcher from broker (\d+)/.exec(line)![1]!;
        perLeader.set(leader, (perLeader.get(leader) ?? 0) + 1);
        expect(line).toMatch(/SASL SCRAM-SHA-512 as weir-broker to 127\.0\.0\.1:\d+ failed: Authentication failed/);
      }
      expect([...perLeader.values()].every((n) => n === 1)).toBe(true);
      expect(startLog()).not.toContain('not-the-broker-password');
      // Records keep coming with acks=all; broker 3 never catches up into the ISR.
      const producer = client().producer({ createPartitioner: kafkajs.Partitioners.DefaultPartitioner });
      await producer.connect();
      try {
        await producer.send({ topic: TOPIC, acks: -1, messages: [{ value: 'four' }] });
      } finally {
        await producer.disconnect();
      }
      const view = await cluster.rest(1).partition(TOPIC, 0);
      expect(view.isr).not.toContain(3);
      expect([...view.isr].sort()).toEqual([1, 2]);
    }), 120_000);
});

/** SASL authentications the listeners of brokers 1 and 2 refused so far (each logs one line). */
function refusals(cluster: ProcessCluster): number {
  return [1, 2].map((id) => cluster.broker(id).logTail(100_000).split('\n').filter((l) => /SASL authentication from .* failed: Authentication failed/.test(l)).length)
    .reduce((a, b) => a + b, 0);
}
