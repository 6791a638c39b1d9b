import { auditQuery, auditSearch, parseAuditFilters } from './audit-filters';

describe('audit filters', () => {
  it('reads the URL, dropping doors, results, dates and pages the gateway would refuse', () => {
    const f = parseAuditFilters({ actor: ' ann ', door: 'console', result: 'maybe', since: 'yesterday', until: '2026-12-01T10:00:00+01:00', page: '-2' });
    expect(f).toEqual({ actor: 'ann', action: '', door: 'console', result: '', resource: '', since: '', until: '2026-12-01T09:00:00.000Z', page: 1 });
  });

  it('pages by offset and leaves empty filters out of the query and the links', () => {
    const f = parseAuditFilters({ action: 'topic.create', page: '3' });
    expect(auditQuery(f)).toEqual({ limit: 50, offset: 100, action: 'topic.create' });
    expect(auditSearch(f, { format: 'csv' })).toBe('?action=topic.create&format=csv');
    expect(auditSearch(parseAuditFilters({}))).toBe('');
  });
});
