import type { PrismaClient } from '@weir/registry-prisma';
import { AUDIT_RETENTION, type AuditRetention } from '../../apps/gateway/src/audit/audit-retention.js';
import { PRISMA } from '../../apps/gateway/src/registry/registry.module.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { type AuditEntry, AuditLogReader } from './audit-log-reader.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** RFC 4180, written here independently of the gateway's writer: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

/** The audit log's own REST surface with WEIR_AUTH=off: the anonymous door, filters, CSV export and retention. */
describe('audit log: reading, export and retention', () => {
  let gateway: TestGateway;
  let prisma: PrismaClient;

  beforeAll(async () => {
    gateway = await startTestGateway({ env: { WEIR_AUDIT_RETENTION_DAYS: '90' } });
    prisma = gateway.get<PrismaClient>(PRISMA);
  });
  afterAll(() => gateway?.close());

  it('with authentication off the actor is anonymous; the console\'s server side is door console', async () => {
    const log = new AuditLogReader(gateway.baseUrl);
    await log.mark();
    const clusterId = ((await (await fetch(`${gateway.baseUrl}/v3/clusters`)).json()) as { data: { cluster_id: string }[] }).data[0]!.cluster_id;
    const create = (name: string, headers: Record<string, string> = {}) =>
      fetch(`${gateway.baseUrl}/v3/clusters/${clusterId}/topics`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ topic_name: name }) });
    expect((await create('anon-rest')).status).toBe(201);
    expect((await create('anon-console', { 'x-weir-console': '1' })).status).toBe(201);
    const fresh = await log.takeNew();
    expect(fresh.map((e) => [e.actor, e.door, e.action, e.resource, e.result])).toEqual([
      ['anonymous', 'rest', 'topic.create', 'topic:anon-rest', 'success'],
      ['anonymous', 'console', 'topic.create', 'topic:anon-console', 'success'],
    ]);
  });

  it('filters, and the CSV export of a filter holds the same entries as its JSON, formula cells guarded', async () => {
    const now = Date.now();
    const row = (i: number, fields: Partial<{ resource: string; result: string; error: string; door: string }> = {}) => ({
      time: new Date(now - i * 1000), actor: 'exporter', door: fields.door ?? 'kafka', source: '10.0.0.1', action: 'topic.delete',
      resource: fields.resource ?? `topic:t${i}`, result: fields.result ?? 'success', before: { partitions: i }, ...(fields.error === undefined ? {} : { error: fields.error }),
    });
    await prisma.auditEntry.createMany({
      data: [
        row(5),
        row(4, { resource: '=HYPERLINK("http://x","y")' }),
        row(3, { result: 'failure', error: 'UNKNOWN_TOPIC_OR_PARTITION, "quoted"\nnext line' }),
        row(2, { door: 'rest', resource: '@cmd' }),
      ],
    });
    const get = async (query: string) => fetch(`${gateway.baseUrl}/v3/audit-log?${query}`);
    const json = (await (await get('actor=exporter')).json()) as { data: AuditEntry[]; total: number };
    expect(json.total).toBe(4);
    expect(json.data.map((e) => e.resource)).toEqual(['@cmd', 'topic:t3', '=HYPERLINK("http://x","y")', 'topic:t5']);

    const csvResponse = await get('actor=exporter&format=csv');
    expect(csvResponse.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csvResponse.headers.get('content-disposition')).toMatch(/^attachment/);
    const [header, ...records] = parseCsv(await csvResponse.text());
    expect(header).toEqual(['id', 'time', 'actor', 'door', 'source', 'action', 'resource', 'before', 'after', 'result', 'error']);
    expect(records.map((r) => r[0])).toEqual(json.data.map((e) => e.id));
    expect(records.map((r) => r[6])).toEqual(["'@cmd", 'topic:t3', '\'=HYPERLINK("http://x","y")', 'topic:t5']);
    expect(records[1]![10]).toBe('UNKNOWN_TOPIC_OR_PARTITION, "quoted"\nnext line');
    expect(JSON.parse(records[3]![7]!)).toEqual({ partitions: 5 });

    const ids = async (query: string) => ((await (await get(`actor=exporter&${query}`)).json()) as { data: AuditEntry[] }).data.map((e) => e.resource);
    expect(await ids('result=failure')).toEqual(['topic:t3']);
    expect(await ids('door=rest')).toEqual(['@cmd']);
    expect(await ids('resource=HYPER')).toEqual(['=HYPERLINK("http://x","y")']);
    expect(await ids(`since=${encodeURIComponent(new Date(now - 3500).toISOString())}&until=${encodeURIComponent(new Date(now - 2500).toISOString())}`)).toEqual(['topic:t3']);
    expect(await ids('limit=2&offset=1')).toEqual(['topic:t3', '=HYPERLINK("http://x","y")']);
    expect((await get('limit=1001')).status).toBe(400);
  });

  it('is in the OpenAPI document with its filters', async () => {
    const doc = (await (await fetch(`${gateway.baseUrl}/openapi.json`)).json()) as { paths: Record<string, { get?: { parameters?: { name: string }[] } }> };
    expect(doc.paths['/v3/audit-log']?.get?.parameters?.map((p) => p.name).sort()).toEqual(
      ['action', 'actor', 'door', 'format', 'limit', 'offset', 'resource', 'result', 'since', 'until'],
    );
  });

  it('retention: entries older than WEIR_AUDIT_RETENTION_DAYS are purged, newer ones kept', async () => {
    const old = await prisma.auditEntry.create({ data: { time: new Date(Date.now() - 91 * DAY_MS), actor: 'old', door: 'rest', source: 'x', action: 'topic.create', resource: 'topic:old', result: 'success' } });
    const kept = await prisma.auditEntry.create({ data: { time: new Date(Date.now() - 89 * DAY_MS), actor: 'old', door: 'rest', source: 'x', action: 'topic.create', resource: 'topic:kept', result: 'success' } });
    expect(await gateway.get<AuditRetention>(AUDIT_RETENTION).purge()).toBe(1);
    expect(await prisma.auditEntry.findUnique({ where: { id: old.id } })).toBeNull();
    expect(await prisma.auditEntry.findUnique({ where: { id: kept.id } })).not.toBeNull();
  });
});
