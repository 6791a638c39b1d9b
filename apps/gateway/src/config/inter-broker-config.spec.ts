import { interBrokerConfigOf } from './inter-broker-config.js';

describe('interBrokerConfigOf', () => {
  it('follows the listener protocol by default and needs no credentials without SASL', () => {
    expect(interBrokerConfigOf({}, 'SSL')).toEqual({ protocol: 'SSL', sasl: undefined, caFile: undefined });
    expect(interBrokerConfigOf({ WEIR_INTER_BROKER_SECURITY_PROTOCOL: 'PLAINTEXT', WEIR_TLS_CA_FILE: '/ca.pem' }, 'SASL_SSL'))
      .toEqual({ protocol: 'PLAINTEXT', sasl: undefined, caFile: '/ca.pem' });
  });

  it('takes the user and password (or its file) for SASL, SCRAM-SHA-512 by default', () => {
    const env = { WEIR_INTER_BROKER_USERNAME: 'broker', WEIR_INTER_BROKER_PASSWORD: 'broker-password-1' };
    expect(interBrokerConfigOf(env, 'SASL_SSL')).toEqual({
      protocol: 'SASL_SSL', caFile: undefined, sasl: { mechanism: 'SCRAM-SHA-512', username: 'broker', password: { value: 'broker-password-1' } },
    });
    const fromFile = interBrokerConfigOf({ WEIR_INTER_BROKER_USERNAME: 'broker', WEIR_INTER_BROKER_PASSWORD_FILE: '/run/secrets/p', WEIR_INTER_BROKER_SASL_MECHANISM: 'PLAIN' }, 'SSL');
    expect(fromFile).toEqual({ protocol: 'SSL', caFile: undefined, sasl: undefined });
    expect(interBrokerConfigOf({ WEIR_INTER_BROKER_SECURITY_PROTOCOL: 'SASL_PLAINTEXT', WEIR_INTER_BROKER_USERNAME: 'broker', WEIR_INTER_BROKER_PASSWORD_FILE: '/run/secrets/p', WEIR_INTER_BROKER_SASL_MECHANISM: 'PLAIN' }, 'PLAINTEXT'))
      .toMatchObject({ protocol: 'SASL_PLAINTEXT', sasl: { mechanism: 'PLAIN', password: { file: '/run/secrets/p' } } });
  });

  it('lets a SASL listener without inter-broker settings start (one gateway needs none), with no credentials', () => {
    expect(interBrokerConfigOf({}, 'SASL_PLAINTEXT')).toEqual({ protocol: 'SASL_PLAINTEXT', sasl: undefined, caFile: undefined });
  });

  it('names the variable that is missing or wrong, and never quotes a password', () => {
    expect(interBrokerConfigOf({ WEIR_INTER_BROKER_SECURITY_PROTOCOL: 'SASL_SSL' }, 'PLAINTEXT')).toBe("WEIR_INTER_BROKER_USERNAME: the inter-broker protocol SASL_SSL needs the brokers' user name");
    expect(interBrokerConfigOf({ WEIR_INTER_BROKER_PASSWORD: 'long-enough-password' }, 'SASL_SSL')).toMatch(/^WEIR_INTER_BROKER_USERNAME: the inter-broker protocol SASL_SSL \(from WEIR_KAFKA_SECURITY_PROTOCOL\) needs/);
    expect(interBrokerConfigOf({ WEIR_INTER_BROKER_USERNAME: 'broker' }, 'SASL_SSL')).toMatch(/^WEIR_INTER_BROKER_PASSWORD: .*exactly one of/);
    const short = interBrokerConfigOf({ WEIR_INTER_BROKER_USERNAME: 'broker', WEIR_INTER_BROKER_PASSWORD: 'short-pw' }, 'SASL_SSL');
    expect(short).toBe('WEIR_INTER_BROKER_PASSWORD: at least 12 characters');
    expect(interBrokerConfigOf({ WEIR_INTER_BROKER_SECURITY_PROTOCOL: 'TLS' }, 'PLAINTEXT')).toMatch(/^WEIR_INTER_BROKER_SECURITY_PROTOCOL: /);
    expect(interBrokerConfigOf({ WEIR_INTER_BROKER_USERNAME: 'no/slash', WEIR_INTER_BROKER_PASSWORD: 'long-enough-password' }, 'SASL_SSL')).toMatch(/^WEIR_INTER_BROKER_USERNAME: /);
  });
});
