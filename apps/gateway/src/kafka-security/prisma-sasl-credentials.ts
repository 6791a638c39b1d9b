import { decodeScramCredential, type SaslCredentialStore, type ScramCredential, type ScramMechanism } from '@weir/broker-core';
import type { PrismaClient } from '@weir/registry-prisma';
import { verifySecret } from '../auth/password-hash.js';

/**
 * The Kafka listener's SASL users: the gateway's own users table, so one account signs in
 * to the console, calls REST and connects Kafka clients. A disabled or unknown user, or
 * one without a password, answers false / undefined, as a wrong password does.
 *
 * PLAIN runs scrypt per connection (~50 ms): a Kafka client authenticates once per
 * connection, so nothing is cached, and a disabled user or new password applies to the
 * next connection at once. SCRAM needs no hashing here: the row keeps its credentials.
 */
export class PrismaSaslCredentials implements SaslCredentialStore {
  constructor(private readonly prisma: PrismaClient) {}

  async verifyPlain(username: string, password: string): Promise<boolean> {
    const user = await this.prisma.securityUser.findUnique({ where: { name: username }, select: { passwordHash: true, disabled: true } });
    if (user === null || user.disabled || user.passwordHash === null) return false;
    return verifySecret(password, user.passwordHash);
  }

  async scramCredential(mechanism: ScramMechanism, username: string): Promise<ScramCredential | undefined> {
    const user = await this.prisma.securityUser.findUnique({ where: { name: username }, select: { scramSha256: true, scramSha512: true, disabled: true } });
    if (user === null || user.disabled) return undefined;
    const encoded = mechanism === 'SCRAM-SHA-256' ? user.scramSha256 : user.scramSha512;
    return encoded === null ? undefined : decodeScramCredential(encoded);
  }
}
