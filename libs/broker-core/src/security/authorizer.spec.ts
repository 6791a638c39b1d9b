import { afterEach, describe, expect, it } from '@jest/globals';
import { InMemoryRegistryStore } from '../registry/memory-store.js';
import { Registry } from '../registry/registry.js';
import { MockTime } from '../time.js';
import { MockTimer } from '../timer/mock-timer.js';
import {
  AclOperation as Op, AclPatternType as Pattern, AclPermissionType as Perm, AclResourceType as Type, type AclBinding, type AclBindingFilter,
} from './acl.js';
import { AclZNode } from './acl-znodes.js';
import { AclAuthorizer, type AuthorizerSettings } from './authorizer.js';
import { userPrincipal } from './principal.js';

/**
 * Kafka's AclAuthorizer semantics over ACLs stored in a real Registry: matching by literal
 * name, wildcard and prefix, DENY over ALLOW, implied operations, super users, the
 * no-ACL default both ways; the znodes in Kafka's layout; a second authorizer on the same
 * registry following the first one's writes through watches.
 */
const time = new MockTime();
const timer = new MockTimer(time);
const opened: { close(): unknown }[] = [];

afterEach(async () => {
  for (const o of opened.splice(0).reverse()) await o.close();
});

async function setup(settings: AuthorizerSettings = {}, shared?: Registry): Promise<{ authz: AclAuthorizer; registry: Registry }> {
  const registry = shared ?? await Registry.open({ store: new InMemoryRegistryStore(), time, scheduler: timer, onError: () => undefined });
  if (shared === undefined) opened.push(registry);
  const authz = new AclAuthorizer(registry, settings, (err) => { throw err; });
  authz.start();
  opened.push(authz);
  return { authz, registry };
}

const acl = (b: Partial<AclBinding>): AclBinding => ({
  resourceType: Type.TOPIC, resourceName: 'orders', patternType: Pattern.LITERAL, principal: 'User:alice', host: '*',
  operation: Op.READ, permissionType: Perm.ALLOW, ...b,
});
const ANY: AclBindingFilter = {
  resourceType: Type.ANY, resourceName: null, patternType: Pattern.ANY, principal: null, host: null, operation: Op.ANY, permissionType: Perm.ANY,
};
const may = (authz: AclAuthorizer, user: string, operation: Op, resourceName = 'orders', resourceType: Type = Type.TOPIC, host = '10.0.0.1') =>
  authz.authorize({ principal: userPrincipal(user), host, operation, resourceType, resourceName });

describe('AclAuthorizer', () => {
  it('with no ACLs allows everyone iff allowEveryoneIfNoAclFound, and super users always', async () => {
    const open = await setup({ allowEveryoneIfNoAclFound: true });
    expect(may(open.authz, 'bob', Op.WRITE)).toBe(true);
    const closed = await setup({ allowEveryoneIfNoAclFound: false, superUsers: ['User:root'] });
    expect(may(closed.authz, 'bob', Op.WRITE)).toBe(false);
    expect(may(closed.authz, 'root', Op.WRITE)).toBe(true);
  });

  it('matches literal names, the literal wildcard and prefixes, and leaves unmatched resources to the default', async () => {
    const { authz } = await setup({ allowEveryoneIfNoAclFound: true });
    await authz.create([
      acl({ resourceName: 'orders', principal: 'User:alice', operation: Op.WRITE }),
      acl({ resourceName: 'pay', patternType: Pattern.PREFIXED, principal: 'User:bob', operation: Op.READ }),
      acl({ resourceType: Type.GROUP, resourceName: '*', principal: 'User:carol', operation: Op.READ }),
    ]);
    expect(may(authz, 'alice', Op.WRITE, 'orders')).toBe(true);
    expect(may(authz, 'bob', Op.WRITE, 'orders')).toBe(false);
    expect(may(authz, 'bob', Op.READ, 'payments')).toBe(true);
    expect(may(authz, 'alice', Op.READ, 'payments')).toBe(false);
    expect(may(authz, 'carol', Op.READ, 'any-group', Type.GROUP)).toBe(true);
    expect(may(authz, 'dave', Op.READ, 'any-group', Type.GROUP)).toBe(false);
    // No ACL names this topic: the default applies.
    expect(may(authz, 'dave', Op.WRITE, 'unrelated')).toBe(true);
  });

  it('lets a DENY win over an ALLOW, for the principal or User:*, from a host or *', async () => {
    const { authz } = await setup();
    await authz.create([
      acl({ principal: 'User:*', operation: Op.ALL }),
      acl({ principal: 'User:mallory', operation: Op.WRITE, permissionType: Perm.DENY }),
      acl({ principal: 'User:*', host: '10.6.6.6', operation: Op.ALL, permissionType: Perm.DENY }),
    ]);
    expect(may(authz, 'alice', Op.WRITE)).toBe(true);
    expect(may(authz, 'mallory', Op.WRITE)).toBe(false);
    expect(may(authz, 'mallory', Op.READ)).toBe(true);
    expect(may(authz, 'alice', Op.READ, 'orders', Type.TOPIC, '10.6.6.6')).toBe(false);
  });

  it('implies DESCRIBE from READ, WRITE, DELETE and ALTER, and DESCRIBE_CONFIGS from ALTER_CONFIGS, but not the other way', async () => {
    const { authz } = await setup({ allowEveryoneIfNoAclFound: false });
    for (const [i, op] of [Op.READ, Op.WRITE, Op.DELETE, Op.ALTER].entries()) {
      await authz.create([acl({ resourceName: `t${i}`, operation: op })]);
      expect(may(authz, 'alice', Op.DESCRIBE, `t${i}`)).toBe(true);
    }
    await authz.create([acl({ resourceName: 'cfg', operation: Op.ALTER_CONFIGS }), acl({ resourceName: 'd', operation: Op.DESCRIBE })]);
    expect(may(authz, 'alice', Op.DESCRIBE_CONFIGS, 'cfg')).toBe(true);
    expect(may(authz, 'alice', Op.DESCRIBE, 'cfg')).toBe(false);
    expect(may(authz, 'alice', Op.READ, 'd')).toBe(false);
    // KIP-430's bits: READ and the DESCRIBE it implies.
    expect(authz.authorizedOperations(userPrincipal('alice'), '1.2.3.4', Type.TOPIC, 't0')).toBe((1 << Op.READ) | (1 << Op.DESCRIBE));
  });

  it('stores ACLs in Kafka\'s znodes and a second authorizer on the registry follows writes and deletes', async () => {
    const { authz, registry } = await setup({ allowEveryoneIfNoAclFound: false });
    const other = (await setup({ allowEveryoneIfNoAclFound: false }, registry)).authz;
    await authz.create([acl({ operation: Op.WRITE }), acl({ resourceName: 'pay', patternType: Pattern.PREFIXED, permissionType: Perm.DENY })]);
    expect(JSON.parse(new TextDecoder().decode(registry.getData('/kafka-acl/Topic/orders').data))).toEqual({
      version: 1, acls: [{ principal: 'User:alice', permissionType: 'Allow', operation: 'Write', host: '*' }],
    });
    expect(AclZNode.decode(registry.getData('/kafka-acl-extended/prefixed/Topic/pay').data, 'x')).toHaveLength(1);
    await waitFor(() => may(other, 'alice', Op.WRITE));
    expect(other.describe(ANY)).toHaveLength(2);

    const deleted = await other.delete([{ ...ANY, resourceName: 'payments', patternType: Pattern.MATCH }]);
    expect(deleted[0]!.map((b) => b.resourceName)).toEqual(['pay']);
    expect(registry.exists('/kafka-acl-extended/prefixed/Topic/pay')).toBeNull();
    await waitFor(() => authz.describe(ANY).length === 1);
  });

  it('filters as Kafka: ANY pattern needs the exact name, MATCH takes literal, wildcard and prefixes', async () => {
    const { authz } = await setup();
    await authz.create([
      acl({ resourceName: 'orders' }), acl({ resourceName: '*' }), acl({ resourceName: 'ord', patternType: Pattern.PREFIXED }),
      acl({ resourceName: 'other' }),
    ]);
    const names = (f: Partial<AclBindingFilter>) => authz.describe({ ...ANY, ...f }).map((b) => b.resourceName).sort();
    expect(names({ resourceName: 'orders' })).toEqual(['orders']);
    expect(names({ resourceName: 'orders', patternType: Pattern.MATCH })).toEqual(['*', 'ord', 'orders']);
    expect(names({ patternType: Pattern.PREFIXED })).toEqual(['ord']);
    // Creating an existing ACL again stores it once.
    await authz.create([acl({ resourceName: 'orders' })]);
    expect(names({ resourceName: 'orders' })).toEqual(['orders']);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in 5 s');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
