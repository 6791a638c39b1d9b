import { can, capabilityForPage } from './permissions';

describe('console permissions', () => {
  it('lets each role do what the roles before it can, and no more', () => {
    expect([can('viewer', 'read'), can('viewer', 'operate'), can('viewer', 'administer')]).toEqual([true, false, false]);
    expect([can('operator', 'read'), can('operator', 'operate'), can('operator', 'administer')]).toEqual([true, true, false]);
    expect([can('admin', 'read'), can('admin', 'operate'), can('admin', 'administer')]).toEqual([true, true, true]);
  });

  it('lets nobody signed out do anything', () => {
    expect(can(null, 'read')).toBe(false);
    expect(can(undefined, 'read')).toBe(false);
  });

  it('keeps the users, ACL and audit pages for admins', () => {
    expect(capabilityForPage('/users')).toBe('administer');
    expect(capabilityForPage('/users/alice')).toBe('administer');
    expect(capabilityForPage('/acls')).toBe('administer');
    expect(capabilityForPage('/audit')).toBe('administer');
    expect(capabilityForPage('/registry')).toBe('administer');
    expect(capabilityForPage('/account')).toBe('read');
    expect(capabilityForPage('/usersettings')).toBe('read');
    expect(capabilityForPage('/topics')).toBe('read');
  });
});
