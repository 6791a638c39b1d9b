import { decodeScramCredential, deriveScramCredential } from '@weir/broker-core';
import { hashSecret, passwordCredentials, verifySecret } from './password-hash.js';

describe('password hashing', () => {
  it('verifies the right secret and refuses a wrong or malformed one', async () => {
    const stored = await hashSecret('correct horse');
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifySecret('correct horse', stored)).toBe(true);
    expect(await verifySecret('correct hors', stored)).toBe(false);
    expect(await verifySecret('correct horse', 'scrypt$1$1$1$$')).toBe(false);
    expect(await verifySecret('correct horse', 'plain')).toBe(false);
  });

  it('salts each hash', async () => {
    expect(await hashSecret('same')).not.toBe(await hashSecret('same'));
  });

  it('keeps SCRAM credentials that re-derive from the password and their salt', async () => {
    const creds = await passwordCredentials('s3cret');
    for (const [mechanism, text] of [['SCRAM-SHA-256', creds.scramSha256], ['SCRAM-SHA-512', creds.scramSha512]] as const) {
      const stored = decodeScramCredential(text)!;
      expect(stored.iterations).toBe(4096);
      const again = deriveScramCredential(mechanism, 's3cret', stored.salt, stored.iterations);
      expect(again.storedKey.equals(stored.storedKey)).toBe(true);
      expect(again.serverKey.equals(stored.serverKey)).toBe(true);
      expect(deriveScramCredential(mechanism, 'other', stored.salt).storedKey.equals(stored.storedKey)).toBe(false);
    }
  });
});
