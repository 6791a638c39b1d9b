import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { deriveScramCredential, encodeScramCredential } from '@weir/broker-core';

/**
 * scrypt (memory-hard) at N=2^14, r=8, p=1: 16 MiB and ~50 ms per hash on a laptop core.
 * The parameters are kept in the hash so they can be raised without invalidating old ones.
 */
const PARAMS = { N: 16_384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function scryptAsync(secret: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(secret, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** `scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>` */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(secret, salt, KEY_LENGTH, { ...PARAMS, maxmem: 64 * 1024 * 1024 });
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

/** Constant-time check of `secret` against a stored hash; false for a malformed hash. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0)) return false;
  const expected = Buffer.from(parts[5]!, 'base64');
  if (expected.length === 0) return false;
  const actual = await scryptAsync(secret, Buffer.from(parts[4]!, 'base64'), expected.length, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 });
  return timingSafeEqual(actual, expected);
}

/** Everything a user row keeps of a password: the scrypt hash and both SCRAM credentials. */
export async function passwordCredentials(password: string): Promise<{ passwordHash: string; scramSha256: string; scramSha512: string }> {
  return {
    passwordHash: await hashSecret(password),
    scramSha256: encodeScramCredential(deriveScramCredential('SCRAM-SHA-256', password)),
    scramSha512: encodeScramCredential(deriveScramCredential('SCRAM-SHA-512', password)),
  };
}
