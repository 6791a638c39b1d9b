import { createHash } from 'node:crypto';
import type { Role } from './request-user.js';

/** Who a credential proved to be, as remembered for a short while. */
export interface CachedIdentity {
  readonly name: string;
  readonly role: Role;
  readonly via: 'session' | 'basic' | 'api-key';
  readonly keyId?: string;
  readonly sessionId?: string;
  readonly csrfToken?: string;
}

interface Entry {
  readonly identity: CachedIdentity;
  readonly expiresAtMs: number;
}

/**
 * Verified credentials, keyed by the SHA-256 of what was presented, for `ttlMs`: a
 * password or API key costs ~50 ms of scrypt to check, and a console or script sends many
 * requests a second. Bounded (the oldest entry goes first). A change to a user, a deleted
 * key or an ended session is forgotten at once in this process; other gateway processes
 * on the same database notice within `ttlMs`.
 */
export class CredentialCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs = 60_000,
    private readonly maxEntries = 1_000,
  ) {}

  static keyOf(kind: string, credential: string): string {
    return createHash('sha256').update(kind).update('\0').update(credential).digest('hex');
  }

  get(key: string, nowMs: number): CachedIdentity | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAtMs <= nowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.identity;
  }

  /** Remembers until `ttlMs` from now, or `notAfterMs` when that is sooner (a key or session that expires). */
  set(key: string, identity: CachedIdentity, nowMs: number, notAfterMs = Infinity): void {
    this.entries.delete(key);
    this.entries.set(key, { identity, expiresAtMs: Math.min(nowMs + this.ttlMs, notAfterMs) });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  forgetUser(name: string): void {
    this.forgetWhere((identity) => identity.name === name);
  }

  forgetKey(keyId: string): void {
    this.forgetWhere((identity) => identity.keyId === keyId);
  }

  forgetSession(sessionId: string): void {
    this.forgetWhere((identity) => identity.sessionId === sessionId);
  }

  private forgetWhere(matches: (identity: CachedIdentity) => boolean): void {
    for (const [key, entry] of this.entries) if (matches(entry.identity)) this.entries.delete(key);
  }
}
