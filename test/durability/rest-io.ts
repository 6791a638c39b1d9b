import { request } from 'node:http';
import type { ProduceBatchResponse, ProduceResponse, ReadRecordsResponse } from '@weir/contracts';

/**
 * REST helpers for the durability suites: produce numbered records (records:batch and
 * the chunked stream) and read partitions back through the read endpoint. Record n has
 * key `key-n`, a STRING value and a `seq` header, so every field can be checked after a
 * restart without keeping the records themselves.
 */
export interface Acked {
  readonly n: number;
  readonly partition: number;
  readonly offset: number;
}

export function recordOf(n: number) {
  return {
    key: { type: 'STRING', data: `key-${n}` },
    value: { type: 'STRING', data: `value-${n}-${'x'.repeat(n % 97)}` },
    headers: [{ name: 'seq', value: Buffer.from(String(n)).toString('base64') }],
  };
}

export async function clusterIdOf(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/v3/clusters`);
  const body = (await res.json()) as { data: { cluster_id: string }[] };
  return body.data[0]!.cluster_id;
}

/** One records:batch request of records first..first+count-1; every entry must succeed. */
export async function produceBatch(topicUrl: string, first: number, count: number): Promise<Acked[]> {
  const entries = Array.from({ length: count }, (_, i) => ({ id: String(first + i), ...recordOf(first + i) }));
  const res = await fetch(`${topicUrl}/records:batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ entries }),
  });
  const body = (await res.json()) as ProduceBatchResponse;
  if (res.status !== 207 || body.failures.length > 0) throw new Error(`records:batch answered ${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
  return body.successes.map((s) => ({ n: Number(s.id), partition: s.partition_id!, offset: s.offset! }));
}

export interface StreamOptions {
  readonly first: number;
  readonly count: number;
  /** Called with each delivery report as it arrives (in record order). */
  readonly onAck?: (acked: Acked, ackedSoFar: number) => void;
}

/**
 * Streams records first..first+count-1 as one chunked request of concatenated JSON
 * records and collects the delivery reports as they arrive. Resolves with every report
 * received, also when the connection breaks part-way (the crash suite kills the gateway
 * mid-stream: what was acknowledged until then is what must survive).
 */
export function produceStream(topicUrl: string, options: StreamOptions): Promise<{ acked: Acked[]; broken: boolean }> {
  const acked: Acked[] = [];
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (broken: boolean) => {
      if (done) return;
      done = true;
      resolve({ acked, broken });
    };
    const req = request(`${topicUrl}/records`, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } });
    req.on('error', () => finish(true));
    req.on('response', (res) => {
      if (res.statusCode !== 200) reject(new Error(`streaming produce answered ${res.statusCode}`));
      let pending = '';
      res.setEncoding('utf8');
      res.on('data', (text: string) => {
        pending += text;
        let newline: number;
        while ((newline = pending.indexOf('\n')) >= 0) {
          const report = JSON.parse(pending.slice(0, newline)) as ProduceResponse;
          pending = pending.slice(newline + 1);
          if (report.error_code !== 200) return reject(new Error(`record ${options.first + acked.length} refused: ${JSON.stringify(report)}`));
          const ack = { n: options.first + acked.length, partition: report.partition_id!, offset: report.offset! };
          acked.push(ack);
          options.onAck?.(ack, acked.length);
        }
      });
      res.on('end', () => finish(false));
      res.on('error', () => finish(true));
      res.on('aborted', () => finish(true));
    });
    // Written in slices that respect back-pressure, so a killed server stops the writing.
    let n = options.first;
    const end = options.first + options.count;
    const writeMore = () => {
      while (n < end && !req.destroyed) {
        const slice: string[] = [];
        for (let i = 0; i < 100 && n < end; i += 1) slice.push(JSON.stringify(recordOf(n++)));
        if (!req.write(slice.join(''))) return void req.once('drain', writeMore);
      }
      if (n >= end) req.end();
    };
    writeMore();
  });
}

/** Every record of a partition from its log start, page by page through the read endpoint. */
export async function readPartition(topicUrl: string, partition: number): Promise<ReadRecordsResponse['records']> {
  const records: ReadRecordsResponse['records'] = [];
  let offset = 0;
  for (;;) {
    const res = await fetch(`${topicUrl}/partitions/${partition}/records?offset=${offset}&max_records=10000&max_bytes=67108864`);
    if (res.status !== 200) throw new Error(`read of partition ${partition} at ${offset} answered ${res.status}: ${await res.text()}`);
    const page = (await res.json()) as ReadRecordsResponse;
    records.push(...page.records);
    if (page.next_offset >= page.high_watermark || page.records.length === 0) return records;
    offset = page.next_offset;
  }
}

/**
 * Checks that every acknowledged record is at its partition and offset with its key,
 * value and header. Returns the records read per partition, for further checks.
 */
export async function expectAckedReadable(topicUrl: string, partitions: number, acked: readonly Acked[]): Promise<Map<number, ReadRecordsResponse['records']>> {
  const read = new Map<number, ReadRecordsResponse['records']>();
  for (let p = 0; p < partitions; p += 1) read.set(p, await readPartition(topicUrl, p));
  const wrong: string[] = [];
  for (const a of acked) {
    const got = read.get(a.partition)?.[a.offset];
    const want = recordOf(a.n);
    const ok =
      got !== undefined &&
      got.offset === a.offset &&
      got.key?.data === want.key.data &&
      got.value?.data === want.value.data &&
      got.headers.length === 1 &&
      got.headers[0]!.key === 'seq' &&
      got.headers[0]!.value?.data === String(a.n);
    if (!ok && wrong.length < 5) wrong.push(`record ${a.n} at ${a.partition}/${a.offset}: ${JSON.stringify(got)}`);
  }
  expect(wrong).toEqual([]);
  return read;
}
