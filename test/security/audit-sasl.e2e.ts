import type { SASLOptions } from 'kafkajs';
import { AuditLogReader } from './audit-log-reader.js';
import { secureKafka } from './sasl-clients.js';
import { type SecureGateway, startSecureGateway } from './support/secure-gateway.js';

/** On a SASL listener the Kafka door's entries name the authenticated principal, not ANONYMOUS. */
describe('audit log: Kafka door over SASL', () => {
  let gateway: SecureGateway;

  beforeAll(async () => {
    gateway = await startSecureGateway({ env: { WEIR_KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT' } });
  }, 180_000); // a gateway and three users with scrypt-hashed passwords, on a loaded machine
  afterAll(() => gateway?.close());

  it('the actor is the SASL user', async () => {
    const log = new AuditLogReader(gateway.baseUrl, gateway.adminBearer);
    await log.mark();
    const { name, password } = gateway.users.operator;
    const admin = secureKafka(gateway.bootstrap, { sasl: { mechanism: 'scram-sha-256', username: name, password } as SASLOptions }).admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'sasl-audited', numPartitions: 1 }] });
    } finally {
      await admin.disconnect();
    }
    const fresh = await log.waitForNew(1);
    expect(fresh.map((e) => [e.actor, e.door, e.action, e.resource, e.result])).toEqual([['t-operator', 'kafka', 'topic.create', 'topic:sasl-audited', 'success']]);
  });
});
