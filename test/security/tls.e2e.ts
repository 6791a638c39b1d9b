import type { SASLOptions } from 'kafkajs';
import { consumeJson, KCAT_TEST_MS, kcatMissing, runKcat } from '../support/kcat.js';
import { makeTestCertificates, type TestCertificates } from '../support/tls-certs.js';
import { startSecureGateway, type SecureGateway } from './support/secure-gateway.js';
import { connectError, createTopic, produceAndConsume, secureKafka } from './sasl-clients.js';

/**
 * The Kafka listener over TLS, with certificates made for the test by a throwaway CA:
 * SASL_SSL (kafkajs with SCRAM-SHA-512 and PLAIN, kcat with SCRAM-SHA-512 and PLAIN) and
 * SSL alone (kafkajs and kcat, no credentials). Clients trust the CA, as they would in
 * production (ssl.ca.location, kafkajs `ssl.ca`).
 */
describe('TLS Kafka listeners', () => {
  let certs: TestCertificates;
  const kcatSkip = kcatMissing();
  const itKcat = kcatSkip === undefined ? it : it.skip;

  beforeAll(() => {
    certs = makeTestCertificates();
  });
  afterAll(() => {
    certs?.remove();
  });

  const tlsEnv = (protocol: string): Record<string, string> => ({
    WEIR_KAFKA_SECURITY_PROTOCOL: protocol,
    WEIR_TLS_CERT_FILE: certs.certFile,
    WEIR_TLS_KEY_FILE: certs.keyFile,
  });

  describe('SASL_SSL', () => {
    let gw: SecureGateway;
    beforeAll(async () => {
      gw = await startSecureGateway({ env: tlsEnv('SASL_SSL') });
    });
    afterAll(async () => {
      await gw?.close();
    });

    it.each(['scram-sha-512', 'plain'] as const)('kafkajs produces and consumes with %s', async (mechanism) => {
      const { name, password } = gw.users.operator;
      const kafka = secureKafka(gw.bootstrap, { ca: certs.ca, sasl: { mechanism, username: name, password } as SASLOptions });
      expect(await produceAndConsume(kafka, `tls-kafkajs-${mechanism}`, ['a', 'b'])).toEqual(['a', 'b']);
    });

    it('kafkajs with a wrong password fails to authenticate', async () => {
      const err = await connectError(secureKafka(gw.bootstrap, { ca: certs.ca, retries: 0, sasl: { mechanism: 'scram-sha-512', username: gw.users.operator.name, password: 'wrong-password' } }));
      expect(err.name).toBe('KafkaJSSASLAuthenticationError');
    });

    itKcat.each(['SCRAM-SHA-512', 'PLAIN'])('kcat produces and consumes with %s', async (mechanism) => {
      const { name, password } = gw.users.operator;
      const args = ['-X', 'security.protocol=SASL_SSL', '-X', `ssl.ca.location=${certs.caFile}`, '-X', `sasl.mechanisms=${mechanism}`, '-X', `sasl.username=${name}`, '-X', `sasl.password=${password}`];
      const topic = `tls-kcat-${mechanism.toLowerCase()}`;
      await createTopic(secureKafka(gw.bootstrap, { ca: certs.ca, sasl: { mechanism: 'scram-sha-512', username: name, password } }), topic);
      const produced = await runKcat(['-b', gw.bootstrap, '-P', '-t', topic, ...args], { stdin: 'x\ny\n' });
      expect({ code: produced.code, stderr: produced.stderr }).toEqual({ code: 0, stderr: '' });
      expect((await consumeJson(gw.bootstrap, topic, { extra: args })).map((r) => r.value?.toString())).toEqual(['x', 'y']);
    }, KCAT_TEST_MS);
  });

  describe('SSL', () => {
    let gw: SecureGateway;
    beforeAll(async () => {
      gw = await startSecureGateway({ env: tlsEnv('SSL') });
    });
    afterAll(async () => {
      await gw?.close();
    });

    it('kafkajs produces and consumes with TLS alone', async () => {
      expect(await produceAndConsume(secureKafka(gw.bootstrap, { ca: certs.ca }), 'ssl-kafkajs', ['only-tls'])).toEqual(['only-tls']);
    });

    it('a client that does not speak TLS gets nowhere', async () => {
      await expect(connectError(secureKafka(gw.bootstrap, { retries: 0 }))).resolves.toBeInstanceOf(Error);
    });

    itKcat('kcat produces and consumes with TLS alone', async () => {
      const args = ['-X', 'security.protocol=SSL', '-X', `ssl.ca.location=${certs.caFile}`];
      await createTopic(secureKafka(gw.bootstrap, { ca: certs.ca }), 'ssl-kcat');
      const produced = await runKcat(['-b', gw.bootstrap, '-P', '-t', 'ssl-kcat', ...args], { stdin: 'tls\n' });
      expect({ code: produced.code, stderr: produced.stderr }).toEqual({ code: 0, stderr: '' });
      expect((await consumeJson(gw.bootstrap, 'ssl-kcat', { extra: args })).map((r) => r.value?.toString())).toEqual(['tls']);
    }, KCAT_TEST_MS);
  });
});
