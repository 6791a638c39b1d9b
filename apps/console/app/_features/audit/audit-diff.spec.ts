import { diffAudit } from './audit-diff';

describe('diffAudit', () => {
  it('compares objects field by field, marking added, removed, changed and same', () => {
    expect(diffAudit({ role: 'viewer', name: 'ann', old: 1 }, { role: 'admin', name: 'ann', nested: { a: [1] } })).toEqual([
      { key: 'name', kind: 'same', before: 'ann', after: 'ann' },
      { key: 'nested', kind: 'added', after: '{"a":[1]}' },
      { key: 'old', kind: 'removed', before: '1' },
      { key: 'role', kind: 'changed', before: 'viewer', after: 'admin' },
    ]);
  });

  it('treats a creation (no before) and a deletion (no after) as all added or all removed', () => {
    expect(diffAudit(null, { partitions: 3 })).toEqual([{ key: 'partitions', kind: 'added', after: '3' }]);
    expect(diffAudit({ partitions: 3 }, null)).toEqual([{ key: 'partitions', kind: 'removed', before: '3' }]);
    expect(diffAudit(null, null)).toEqual([]);
  });

  it('compares values that are not objects as one', () => {
    expect(diffAudit('100', '200')).toEqual([{ key: '', kind: 'changed', before: '100', after: '200' }]);
    expect(diffAudit(null, [1, 2])).toEqual([{ key: '', kind: 'added', after: '[1,2]' }]);
    expect(diffAudit(7, null)).toEqual([{ key: '', kind: 'removed', before: '7' }]);
  });
});
