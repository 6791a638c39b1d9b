import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

export type ScramMechanism = 'SCRAM-SHA-256' | 'SCRAM-SHA-512';
export type SaslMechanism = 'PLAIN' | ScramMechanism;
export const SASL_MECHANISMS: readonly SaslMechanism[] = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'];

/** Kafka's minimum (and default) SCRAM iteration count. */
export const SCRAM_ITERATIONS = 4096;

/** What a server keeps of a SCRAM password (RFC 5802 section 3): never the password itself. */
export interface ScramCredential {
  readonly salt: Buffer;
  readonly iterations: number;
  readonly storedKey: Buffer;
  readonly serverKey: Buffer;
}

/**
 * The users a SASL listener checks against. The gateway implements it over its user
 * table; broker-core only asks. Both calls answer false / undefined for an unknown or
 * disabled user, so a wrong name and a wrong password look the same to a client.
 */
export interface SaslCredentialStore {
  verifyPlain(username: string, password: string): Promise<boolean>;
  scramCredential(mechanism: ScramMechanism, username: string): Promise<ScramCredential | undefined>;
}

export function scramHash(mechanism: ScramMechanism): 'sha256' | 'sha512' {
  return mechanism === 'SCRAM-SHA-256' ? 'sha256' : 'sha512';
}

/** RFC 5802's keys of a password: ClientKey = HMAC(SaltedPassword, "Client Key"), ServerKey likewise, SaltedPassword = Hi(password, salt, i). The client proves ClientKey; the server keeps StoredKey = H(ClientKey). */
export function scramKeys(mechanism: ScramMechanism, password: string, salt: Buffer, iterations: number): { clientKey: Buffer; serverKey: Buffer } {
  const hash = scramHash(mechanism);
  const length = hash === 'sha256' ? 32 : 64;
  const salted = pbkdf2Sync(Buffer.from(password.normalize('NFKC'), 'utf8'), salt, iterations, length, hash);
  return {
    clientKey: createHmac(hash, salted).update('Client Key').digest(),
    serverKey: createHmac(hash, salted).update('Server Key').digest(),
  };
}

/** What a server stores of a password: the salt, the iterations, StoredKey = H(ClientKey) and ServerKey. */
export function deriveScramCredential(
  mechanism: ScramMechanism,
  password: string,
  salt: Buffer = randomBytes(32),
  iterations: number = SCRAM_ITERATIONS,
): ScramCredential {
  const { clientKey, serverKey } = scramKeys(mechanism, password, salt, iterations);
  return { salt, iterations, storedKey: createHash(scramHash(mechanism)).update(clientKey).digest(), serverKey };
}

/** `<salt b64>$<iterations>$<StoredKey b64>$<ServerKey b64>`, as the user table keeps it. */
export function encodeScramCredential(c: ScramCredential): string {
  return [c.salt.toString('base64'), String(c.iterations), c.storedKey.toString('base64'), c.serverKey.toString('base64')].join('$');
}

export function decodeScramCredential(text: string): ScramCredential | undefined {
  const parts = text.split('$');
  if (parts.length !== 4) return undefined;
  const iterations = Number(parts[1]);
  if (!Number.isInteger(iterations) || iterations < 1) return undefined;
  return {
    salt: Buffer.from(parts[0]!, 'base64'),
    iterations,
    storedKey: Buffer.from(parts[2]!, 'base64'),
    serverKey: Buffer.from(parts[3]!, 'base64'),
  };
}
