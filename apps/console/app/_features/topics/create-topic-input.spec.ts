import { fieldsFrom, parseCreateTopicForm } from './create-topic-input';

const fields = (over: Record<string, string> = {}) => fieldsFrom({ topic_name: 'orders', partitions_count: '3', replication_factor: '1', configs: '', ...over });

describe('parseCreateTopicForm', () => {
  it('builds the v3 create request, with configs from name=value lines', () => {
    expect(parseCreateTopicForm(fields({ configs: 'cleanup.policy=compact\n\n retention.ms = 1000 \n' }))).toEqual({
      ok: true,
      request: {
        topic_name: 'orders',
        partitions_count: 3,
        replication_factor: 1,
        configs: [
          { name: 'cleanup.policy', value: 'compact' },
          { name: 'retention.ms', value: '1000' },
        ],
      },
    });
  });

  it('leaves blank counts to the broker defaults', () => {
    expect(parseCreateTopicForm(fields({ partitions_count: '', replication_factor: '' }))).toEqual({ ok: true, request: { topic_name: 'orders' } });
  });

  it('rejects what the gateway schema rejects, per field', () => {
    const parsed = parseCreateTopicForm(fields({ topic_name: 'bad name', partitions_count: '0', replication_factor: '1.5' }));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(Object.keys(parsed.errors).sort()).toEqual(['partitions_count', 'replication_factor', 'topic_name']);
    expect(parsed.errors.topic_name).toMatch(/letters, digits/);
  });

  it('names a malformed config line and a duplicated config', () => {
    expect(parseCreateTopicForm(fields({ configs: 'retention.ms' }))).toEqual({ ok: false, errors: { configs: 'Line 1: expected name=value, got "retention.ms"' } });
    const dup = parseCreateTopicForm(fields({ configs: 'a=1\na=2' }));
    expect(dup).toEqual({ ok: false, errors: { configs: 'Config a is given twice' } });
  });
});
