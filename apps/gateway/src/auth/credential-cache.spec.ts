import { CredentialCache } from './credential-cache.js';

describe('CredentialCache', () => {
  const alice = { name: 'alice', role: 'operator', via: 'api-key', keyId: 'wk_1' } as const;
  const bob = { name: 'bob', role: 'viewer', via: 'session', sessionId: 's1', csrfToken: 't' } as const;

  it('remembers for the ttl, or until the credential expires when that is sooner', () => {
    const cache = new CredentialCache(60_000, 10);
    const key = CredentialCache.keyOf('api-key', 'wk_1.secret');
    expect(key).not.toContain('secret');
    cache.set(key, alice, 0);
    expect(cache.get(key, 59_999)).toEqual(alice);
    expect(cache.get(key, 60_000)).toBeUndefined();
    cache.set(key, alice, 0, 5_000);
    expect(cache.get(key, 5_000)).toBeUndefined();
  });

  it('forgets by user, key and session at once', () => {
    const cache = new CredentialCache(60_000, 10);
    cache.set('k1', alice, 0);
    cache.set('k2', { ...alice, via: 'basic', keyId: undefined }, 0);
    cache.set('k3', bob, 0);
    cache.forgetKey('wk_1');
    expect([cache.get('k1', 1), cache.get('k2', 1)?.name]).toEqual([undefined, 'alice']);
    cache.forgetUser('alice');
    expect(cache.get('k2', 1)).toBeUndefined();
    cache.forgetSession('s1');
    expect(cache.get('k3', 1)).toBeUndefined();
  });

  it('keeps at most its size, dropping the oldest', () => {
    const cache = new CredentialCache(60_000, 2);
    cache.set('a', alice, 0);
    cache.set('b', alice, 0);
    cache.set('c', alice, 0);
    expect([cache.get('a', 1), cache.get('b', 1)?.name, cache.get('c', 1)?.name]).toEqual([undefined, 'alice', 'alice']);
  });
});
