import { spawnKcat } from '../support/kcat.js';
import { PROBE_KEY } from '../support/leader-failover.js';

/** Everything a topic holds, as sequence numbers per partition in offset order. */
export interface TopicContents {
  /** Partition -> the sequence numbers of its records, in offset order (probes left out). */
  readonly partitions: Map<number, number[]>;
  /** Records the failover measurement wrote (key PROBE_KEY). */
  readonly probes: number;
  /** Records that are neither a sequence number nor a probe (first few). */
  readonly foreign: string[];
  readonly records: number;
}

/** kcat output: partition, offset, key and value on one line (keys and values here hold no spaces or newlines). */
const FORMAT = '%p %o %k %s\\n';

/**
 * Reads a topic from the beginning of every partition to its high watermark with kcat
 * (librdkafka follows each partition's leader; no consumer group), parsing the output
 * as it streams so that millions of records cost numbers, not strings.
 */
export function readTopic(bootstrap: string, topic: string, timeoutMs: number): Promise<TopicContents> {
  const partitions = new Map<number, number[]>();
  const foreign: string[] = [];
  let probes = 0;
  let records = 0;
  const take = (line: string) => {
    if (line === '') return;
    const [partition, , key, value] = line.split(' ');
    records += 1;
    if (key === PROBE_KEY) {
      probes += 1;
      return;
    }
    const seq = Number(value);
    if (partition === undefined || !Number.isSafeInteger(seq) || String(seq) !== value) {
      if (foreign.length < 10) foreign.push(line);
      return;
    }
    const p = Number(partition);
    let list = partitions.get(p);
    if (list === undefined) partitions.set(p, (list = []));
    list.push(seq);
  };
  return new Promise((resolve, reject) => {
    const kcat = spawnKcat(['-b', bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-X', 'fetch.wait.max.ms=50', '-f', FORMAT]);
    let pending = '';
    let stderr = '';
    const timer = setTimeout(() => {
      kcat.kill('SIGKILL');
      reject(new Error(`kcat did not read ${topic} to its end within ${timeoutMs} ms (${records} records so far): ${stderr}`));
    }, timeoutMs);
    kcat.stdout.setEncoding('utf8');
    kcat.stdout.on('data', (text: string) => {
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) take(line);
    });
    kcat.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    kcat.stdin.end();
    kcat.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    kcat.on('close', (code) => {
      clearTimeout(timer);
      take(pending);
      if (code !== 0) reject(new Error(`kcat -C of ${topic} exited ${code}: ${stderr}`));
      else resolve({ partitions, probes, foreign, records });
    });
  });
}
