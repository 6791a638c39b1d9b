import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadGatewayConfig } from '../config/gateway-config.js';
import { describeListenerSecurity, kafkaListenerSecurity, readTlsFiles } from './kafka-listener-security.js';
import type { PrismaClient } from '@weir/registry-prisma';

describe('Kafka listener security from the config', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'weir-kls-'));
    writeFileSync(join(dir, 'cert.pem'), 'CERT');
    writeFileSync(join(dir, 'key.pem'), 'KEY');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const prisma = {} as PrismaClient;
  const config = (env: Record<string, string>) => loadGatewayConfig({ WEIR_DATA_DIR: dir, ...env }).security;

  it('reads the PEM files once, with the client-auth setting', () => {
    const tls = readTlsFiles({ certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem'), caFile: undefined, clientAuth: 'requested' });
    expect({ cert: tls.cert.toString(), key: tls.key.toString(), ca: tls.ca, clientAuth: tls.clientAuth }).toEqual({ cert: 'CERT', key: 'KEY', ca: undefined, clientAuth: 'requested' });
  });

  it('stops the start naming the variable of a file it cannot read', () => {
    const read = () => readTlsFiles({ certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem'), caFile: join(dir, 'missing.pem'), clientAuth: 'required' });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/WEIR_TLS_CA_FILE=.*missing\.pem cannot be read/);
  });

  it('gives SASL listeners the configured mechanisms and credentials, and TLS only to SSL/SASL_SSL', () => {
    const sasl = kafkaListenerSecurity(config({ WEIR_KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT', WEIR_KAFKA_SASL_MECHANISMS: 'SCRAM-SHA-512' }), prisma);
    expect(sasl.protocol).toBe('SASL_PLAINTEXT');
    expect(sasl.saslMechanisms).toEqual(['SCRAM-SHA-512']);
    expect(sasl.credentials).toBeDefined();
    expect(sasl.tls).toBeUndefined();
    expect(describeListenerSecurity(sasl)).toBe('SASL_PLAINTEXT (SCRAM-SHA-512)');
    const ssl = kafkaListenerSecurity(config({ WEIR_KAFKA_SECURITY_PROTOCOL: 'SSL', WEIR_TLS_CERT_FILE: join(dir, 'cert.pem'), WEIR_TLS_KEY_FILE: join(dir, 'key.pem') }), prisma);
    expect({ protocol: ssl.protocol, tls: ssl.tls?.cert.toString(), credentials: ssl.credentials }).toEqual({ protocol: 'SSL', tls: 'CERT', credentials: undefined });
    expect(describeListenerSecurity(kafkaListenerSecurity(config({}), prisma))).toBe('PLAINTEXT');
  });
});
