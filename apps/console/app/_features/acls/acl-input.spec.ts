import { parseAclBinding, parseAclFilter } from './acl-input';

const valid = { resource_type: 'TOPIC', resource_name: ' orders ', pattern_type: 'LITERAL', principal: 'User:alice', host: '', operation: 'WRITE', permission: 'DENY' };

describe('ACL input', () => {
  it('takes a binding with the host defaulting to any', () => {
    expect(parseAclBinding(valid)).toEqual({
      ok: true,
      binding: { resource_type: 'TOPIC', resource_name: 'orders', pattern_type: 'LITERAL', principal: 'User:alice', host: '*', operation: 'WRITE', permission: 'DENY' },
    });
  });

  it('names the cluster resource itself', () => {
    const parsed = parseAclBinding({ ...valid, resource_type: 'CLUSTER', resource_name: '', operation: 'ALTER' });
    expect(parsed.ok && parsed.binding.resource_name).toBe('kafka-cluster');
  });

  it('refuses unknown enums, a principal without its type and a missing name', () => {
    expect(parseAclBinding({ ...valid, operation: 'ANY' })).toEqual({ ok: false, message: 'Choose an operation' });
    expect(parseAclBinding({ ...valid, permission: 'MAYBE' }).ok).toBe(false);
    expect(parseAclBinding({ ...valid, principal: 'alice' }).ok).toBe(false);
    expect(parseAclBinding({ ...valid, resource_name: ' ' }).ok).toBe(false);
  });

  it('reads the list filters, dropping an unknown resource type', () => {
    expect(parseAclFilter({ resource_type: 'TABLE', resource_name: 'orders', principal: ['User:bob'] })).toEqual({ resource_name: 'orders', principal: 'User:bob' });
    expect(parseAclFilter({ resource_type: 'GROUP' })).toEqual({ resource_type: 'GROUP' });
  });
});
