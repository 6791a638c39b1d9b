import type { Admin, Consumer, Producer } from 'kafkajs';
import {
  consumerAssignmentDataListSchema, consumerDataListSchema, consumerGroupDataListSchema, consumerGroupDataSchema, consumerGroupLagSummaryDataSchema,
  consumerLagDataListSchema, consumerLagDataSchema, type OffsetResetData, offsetResetDataSchema,
} from '@weir/contracts';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { kafkaClient } from '../../support/kafkajs.js';
import { call, type ErrorBody } from './v3-client.js';
import { waitFor } from '../../support/cluster-rest.js';

const until = (what: string, check: () => Promise<boolean>, timeoutMs = 30_000) => waitFor(what, check, timeoutMs, 50);

describe('REST v3 consumer groups: list, describe, consumers, lags, offset reset, delete', () => {
  let gw: TestGateway;
  let base: string;
  let admin: Admin;
  let producer: Producer;
  const api = <T = unknown>(method: string, path: string, body?: unknown) => call<T>(gw.baseUrl, method, path, body);
  const reset = (g: string, body: unknown) => api<OffsetResetData & ErrorBody>('POST', `${base}/consumer-groups/${g}/offsets:reset`, body);
  const committed = async (g: string, resolveOffsets = false) =>
    (await admin.fetchOffsets({ groupId: g, topics: ['lagged'], resolveOffsets }))[0]!.partitions.map((p) => [p.partition, p.offset]).sort();

  beforeAll(async () => {
    gw = await startTestGateway({ env: { WEIR_GROUP_INITIAL_REBALANCE_DELAY_MS: '0' } });
    base = `/v3/clusters/${gw.cluster.clusterId}`;
    const kafka = kafkaClient(gw.bootstrap);
    admin = kafka.admin();
    producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
    await admin.createTopics({ topics: [{ topic: 'lagged', numPartitions: 2 }] });
    // Partition 0: offsets 0..9; partition 1: 0..3.
    await producer.send({ topic: 'lagged', messages: Array.from({ length: 10 }, (_, i) => ({ partition: 0, value: `a${i}` })) });
    await producer.send({ topic: 'lagged', messages: Array.from({ length: 4 }, (_, i) => ({ partition: 1, value: `b${i}` })) });
    // A simple commit (generation -1, no membership) through the REST reset.
    expect((await reset('simple', { mode: 'offset', offset: 3, partitions: [{ topic_name: 'lagged', partition_id: 0 }], dry_run: false })).status).toBe(200);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([admin?.disconnect(), producer?.disconnect()]);
    await gw?.close();
  }, 30_000);

  it('describes a simple group with its lag, computed by hand: 10 - 3 = 7', async () => {
    const group = consumerGroupDataSchema.parse((await api('GET', `${base}/consumer-groups/simple`)).body);
    expect(group).toMatchObject({ consumer_group_id: 'simple', state: 'EMPTY', is_simple: true, members_count: 0, total_lag: 7, max_lag: 7 });
    expect(group.coordinator.related).toBe(`${gw.baseUrl}${base}/brokers/1`);

    const lags = consumerLagDataListSchema.parse((await api('GET', `${base}/consumer-groups/simple/lags`)).body).data;
    expect(lags.map((l) => [l.partition_id, l.current_offset, l.log_end_offset, l.lag])).toEqual([[0, 3, 10, 7]]);
    const one = consumerLagDataSchema.parse((await api('GET', `${base}/consumer-groups/simple/lags/lagged/partitions/0`)).body);
    expect(one).toMatchObject({ lag: 7, consumer_id: null });
    expect((await api<ErrorBody>('GET', `${base}/consumer-groups/simple/lags/lagged/partitions/1`)).status).toBe(404);

    const summary = consumerGroupLagSummaryDataSchema.parse((await api('GET', `${base}/consumer-groups/simple/lag-summary`)).body);
    expect(summary).toMatchObject({ max_lag: 7, total_lag: 7, max_lag_topic_name: 'lagged', max_lag_partition_id: 0, max_lag_consumer_id: null });
  });

  it('resets to a date and time: the first offset with a timestamp at or after it', async () => {
    await admin.createTopics({ topics: [{ topic: 'timed', numPartitions: 1 }] });
    await producer.send({ topic: 'timed', messages: [1000, 2000, 3000].map((t) => ({ value: `t${t}`, timestamp: String(t) })) });
    const at = async (datetime: string) =>
      offsetResetDataSchema.parse((await reset('clock', { mode: 'datetime', datetime, topic_name: 'timed' })).body).data.map((p) => p.new_offset);
    expect(await at('1970-01-01T00:00:02Z')).toEqual([1]);
    expect(await at('1970-01-01T00:00:02.001Z')).toEqual([2]);
    expect(await at('1970-01-01T00:00:00Z')).toEqual([0]);
    expect(await at('1970-01-01T01:00:00+01:00')).toEqual([0]);
    expect(await at('1970-01-01T00:00:04Z')).toEqual([3]);
  });

  it('documents the routes, Weir\'s extensions marked, in /openapi.json', async () => {
    type Operation = { summary?: string; responses: Record<string, unknown>; requestBody?: unknown };
    const doc = (await (await fetch(`${gw.baseUrl}/openapi.json`)).json()) as { paths: Record<string, Record<string, Operation>> };
    const groups = '/v3/clusters/{cluster_id}/consumer-groups';
    for (const path of ['', '/{consumer_group_id}', '/{consumer_group_id}/consumers', '/{consumer_group_id}/consumers/{consumer_id}/assignments',
      '/{consumer_group_id}/lags', '/{consumer_group_id}/lags/{topic_name}/partitions/{partition_id}', '/{consumer_group_id}/lag-summary']) {
      expect(doc.paths[`${groups}${path}`]?.get).toBeDefined();
    }
    const reset = doc.paths[`${groups}/{consumer_group_id}/offsets:reset`]?.post;
    expect(reset?.summary).toContain('Weir extension');
    expect(Object.keys(reset!.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '409']));
    expect(reset!.requestBody).toBeDefined();
    expect(doc.paths[`${groups}/{consumer_group_id}`]?.delete?.summary).toContain('Weir extension');
    expect(doc.paths[`${groups}/{consumer_group_id}/lag-history`]?.get?.summary).toContain('Weir extension');
  });

  it('answers unknown groups 404 and malformed requests 400', async () => {
    const missing = await api<ErrorBody>('GET', `${base}/consumer-groups/nobody`);
    expect(missing.status).toBe(404);
    expect(missing.body.error_code).toBe(404);
    expect((await api<ErrorBody>('GET', `${base}/consumer-groups/nobody/lag-summary`)).status).toBe(404);
    expect((await api<ErrorBody>('DELETE', `${base}/consumer-groups/nobody`)).status).toBe(404);
    const noOffset = await reset('simple', { mode: 'offset' });
    expect(noOffset.status).toBe(400);
    expect(noOffset.body.message).toContain('mode offset needs offset');
    expect((await reset('simple', { mode: 'duration', duration: '1 hour' })).status).toBe(400);
    expect((await api<ErrorBody>('GET', `${base}/consumer-groups?page_token=bogus`)).status).toBe(400);
    expect((await api<ErrorBody>('GET', `${base}/consumer-groups?page_size=0`)).status).toBe(400);
  });

  it('plans every reset mode as a dry run without committing, clamping into the log range', async () => {
    const plan = async (body: object) => {
      const answer = await reset('simple', body);
      expect(answer.status).toBe(200);
      return offsetResetDataSchema.parse(answer.body).data.map((p) => [p.partition_id, p.current_offset, p.new_offset, p.clamped_from]);
    };
    expect(await plan({ mode: 'earliest' })).toEqual([[0, 3, 0, null]]);
    expect(await plan({ mode: 'latest', topic_name: 'lagged' })).toEqual([[0, 3, 10, null], [1, null, 4, null]]);
    expect(await plan({ mode: 'current', topic_name: 'lagged' })).toEqual([[0, 3, 3, null], [1, null, 4, null]]);
    expect(await plan({ mode: 'offset', offset: 1000 })).toEqual([[0, 3, 10, 1000]]);
    expect(await plan({ mode: 'shift-by', shift_by: -2 })).toEqual([[0, 3, 1, null]]);
    expect(await plan({ mode: 'shift-by', shift_by: -100 })).toEqual([[0, 3, 0, -97]]);
    expect(await plan({ mode: 'datetime', datetime: '2999-01-01T00:00:00Z', partitions: [{ topic_name: 'lagged', partition_id: 1 }] })).toEqual([[1, null, 4, null]]);
    expect(await plan({ mode: 'duration', duration: 'PT1H', topic_name: 'lagged' })).toEqual([[0, 3, 0, null], [1, null, 0, null]]);
    const noCommit = await reset('simple', { mode: 'shift-by', shift_by: 1, topic_name: 'lagged' });
    expect(noCommit.status).toBe(400);
    expect(noCommit.body.message).toContain('Cannot shift offset for partition lagged-1 since there is no current committed offset');
    expect((await reset('simple', { mode: 'earliest', partitions: [{ topic_name: 'lagged', partition_id: 9 }] })).status).toBe(404);
    expect(await committed('simple')).toEqual([[0, '3'], [1, '-1']]);
  });

  it('applies resets (dry_run false) through the coordinator, copies another group\'s offsets, and kafkajs admin sees them', async () => {
    const applied = offsetResetDataSchema.parse((await reset('simple', { mode: 'offset', offset: 6, dry_run: false })).body);
    expect(applied.dry_run).toBe(false);
    expect(await committed('simple')).toEqual([[0, '6'], [1, '-1']]);
    expect((await api<{ total_lag: number }>('GET', `${base}/consumer-groups/simple`)).body.total_lag).toBe(4);

    await reset('copy', { mode: 'from-group', from_group: 'simple', topic_name: 'lagged', dry_run: false });
    expect(await committed('copy')).toEqual([[0, '6'], [1, '-1']]);

    // kafkajs admin's own resets and setOffsets against Weir.
    // kafkajs commits Kafka's sentinels (-2 earliest, -1 latest), as it does against Kafka, and resolves them on fetch.
    await admin.resetOffsets({ groupId: 'copy', topic: 'lagged', earliest: true });
    expect(await committed('copy')).toEqual([[0, '-2'], [1, '-2']]);
    expect(await committed('copy', true)).toEqual([[0, '0'], [1, '0']]);
    await admin.resetOffsets({ groupId: 'copy', topic: 'lagged', earliest: false });
    expect(await committed('copy', true)).toEqual([[0, '10'], [1, '4']]);
    await admin.setOffsets({ groupId: 'copy', topic: 'lagged', partitions: [{ partition: 1, offset: '1' }] });
    expect(await committed('copy')).toEqual([[0, '10'], [1, '1']]);
  }, 30_000);

  it('keeps lag as end minus committed after DeleteRecords moved the log start past the commit', async () => {
    await reset('behind', { mode: 'offset', offset: 2, partitions: [{ topic_name: 'lagged', partition_id: 0 }], dry_run: false });
    await admin.deleteTopicRecords({ topic: 'lagged', partitions: [{ partition: 0, offset: '5' }] });
    const lags = consumerLagDataListSchema.parse((await api('GET', `${base}/consumer-groups/behind/lags`)).body).data;
    expect(lags.map((l) => [l.log_start_offset, l.current_offset, l.log_end_offset, l.lag])).toEqual([[5, 2, 10, 8]]);
    // earliest is the new log start; an offset below it clamps up to it.
    const plan = offsetResetDataSchema.parse((await reset('behind', { mode: 'offset', offset: 1 })).body).data;
    expect(plan.map((p) => [p.new_offset, p.clamped_from])).toEqual([[5, 1]]);
  });

  it('pages, searches and sorts thousands-ready lists server-side', async () => {
    for (let i = 0; i < 12; i++) {
      const partitions = [{ topic_name: 'lagged', partition_id: 0 }];
      await reset(`page-${String(i).padStart(2, '0')}`, { mode: 'offset', offset: 10 - (i % 5), partitions, dry_run: false });
    }
    const first = consumerGroupDataListSchema.parse((await api('GET', `${base}/consumer-groups?search=PAGE-&page_size=5`)).body);
    expect(first.metadata.total_size).toBe(12);
    expect(first.data.map((g) => g.consumer_group_id)).toEqual(['page-00', 'page-01', 'page-02', 'page-03', 'page-04']);
    expect(first.metadata.next).not.toBeNull();
    const second = consumerGroupDataListSchema.parse((await call(first.metadata.next!, 'GET', '')).body);
    expect(second.data[0]!.consumer_group_id).toBe('page-05');
    const third = consumerGroupDataListSchema.parse((await call(second.metadata.next!, 'GET', '')).body);
    expect(third.data.map((g) => g.consumer_group_id)).toEqual(['page-10', 'page-11']);
    expect(third.metadata.next).toBeNull();

    const byLag = consumerGroupDataListSchema.parse((await api('GET', `${base}/consumer-groups?search=page-&sort=lag_desc&page_size=3`)).body);
    expect(byLag.data.map((g) => [g.consumer_group_id, g.total_lag])).toEqual([['page-04', 4], ['page-09', 4], ['page-03', 3]]);
  });

  describe('an active kafkajs consumer group', () => {
    let consumer: Consumer;

    beforeAll(async () => {
      consumer = kafkaClient(gw.bootstrap).consumer({ groupId: 'active', sessionTimeout: 10_000, heartbeatInterval: 500 });
      await consumer.connect();
      await consumer.subscribe({ topic: 'lagged', fromBeginning: true });
      await consumer.run({ eachMessage: async () => undefined });
      await until('the group to be stable', async () => (await api<{ state: string }>('GET', `${base}/consumer-groups/active`)).body.state === 'STABLE');
    }, 60_000);

    afterAll(async () => {
      await consumer?.disconnect();
    });

    it('lists its member with host and decoded assignments', async () => {
      const group = consumerGroupDataSchema.parse((await api('GET', `${base}/consumer-groups/active`)).body);
      expect(group).toMatchObject({ state: 'STABLE', is_simple: false, protocol_type: 'consumer', members_count: 1, partition_assignor: 'RoundRobinAssigner' });
      const members = consumerDataListSchema.parse((await api('GET', `${base}/consumer-groups/active/consumers`)).body).data;
      expect(members).toHaveLength(1);
      expect(members[0]!.client_id).toBe('weir-e2e');
      expect(members[0]!.host).toBe('/127.0.0.1');
      const id = members[0]!.consumer_id;
      expect((await api<{ consumer_id: string }>('GET', `${base}/consumer-groups/active/consumers/${id}`)).body.consumer_id).toBe(id);
      const assigned = consumerAssignmentDataListSchema.parse((await api('GET', `${base}/consumer-groups/active/consumers/${id}/assignments`)).body).data;
      expect(assigned.map((a) => [a.topic_name, a.partition_id])).toEqual([['lagged', 0], ['lagged', 1]]);
      expect((await api<ErrorBody>('GET', `${base}/consumer-groups/active/consumers/nobody`)).status).toBe(404);
    });

    it('refuses resets (dry runs included) and deletion with 409 while active', async () => {
      const refused = await reset('active', { mode: 'earliest' });
      expect(refused.status).toBe(409);
      expect(refused.body).toEqual({ error_code: 40901, message: "Assignments can only be reset if the group 'active' is inactive, but the current state is Stable." });
      const deleting = await api<ErrorBody>('DELETE', `${base}/consumer-groups/active`);
      expect(deleting.status).toBe(409);
      expect(deleting.body.error_code).toBe(40901);
    });

    it('shows the consumer\'s progress as lag, and the lag summary names the member', async () => {
      await until('the consumer to commit everything', async () => {
        const lags = consumerLagDataListSchema.parse((await api('GET', `${base}/consumer-groups/active/lags`)).body).data;
        return lags.length === 2 && lags.every((l) => l.lag === 0);
      });
      await producer.send({ topic: 'lagged', messages: [{ partition: 1, value: 'late' }] });
      const summary = consumerGroupLagSummaryDataSchema.parse((await api('GET', `${base}/consumer-groups/active/lag-summary`)).body);
      expect(summary.max_lag).toBeLessThanOrEqual(1);
    });

    it('can be reset and deleted once its consumer has left', async () => {
      await consumer.disconnect();
      await until('the group to be empty', async () => (await api<{ state: string }>('GET', `${base}/consumer-groups/active`)).body.state === 'EMPTY');
      expect((await reset('active', { mode: 'earliest', dry_run: false })).status).toBe(200);
      expect(await committed('active')).toEqual([[0, '5'], [1, '0']]);
      expect((await api('DELETE', `${base}/consumer-groups/active`)).status).toBe(204);
      expect((await api<ErrorBody>('GET', `${base}/consumer-groups/active`)).status).toBe(404);
    }, 30_000);
  });
});
