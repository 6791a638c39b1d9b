import { spawnKcat } from '../support/kcat.js';
import { PROBE_KEY } from '../support/leader-failover.js';

/** kcat output: partition, offset, key and value on one line (keys and values here hold no spaces or newlines). */
const FORMAT = '%p %o %k %s\\n';

/** A kcat consumer (no group; librdkafka follows each partition's leader) handing over records as they stream. */
export interface TopicStream {
  /** Settles when kcat exits: resolves on exit 0, rejects otherwise (with its stderr). */
  readonly done: Promise<void>;
  /** Ends the consumer (SIGTERM) and waits for it; a stopped stream's `done` resolves. */
  stop(): Promise<void>;
  /** Why kcat ended on its own with an error, if it did. */
  failure(): string | undefined;
}

/**
 * Streams a topic from the beginning of every partition through kcat, calling `onRecord`
 * for each record in offset order per partition. `toEnd` stops at each partition's high
 * watermark (-e); otherwise it follows the topic until stopped.
 */
export function streamTopic(bootstrap: string, topic: string, toEnd: boolean, onRecord: (partition: number, key: string, value: string) => void): TopicStream {
  const args = ['-b', bootstrap, '-C', '-t', topic, '-o', 'beginning', '-q', '-X', 'fetch.wait.max.ms=50', '-f', FORMAT];
  // Following: unbuffered output (-u), so a record is handed over as soon as kcat has it.
  const kcat = spawnKcat(toEnd ? [...args, '-e'] : [...args, '-u']);
  let pending = '';
  let stderr = '';
  let stopping = false;
  const take = (line: string) => {
    if (line === '') return;
    const [partition, , key, value] = line.split(' ');
    onRecord(Number(partition), key ?? '', value ?? '');
  };
  kcat.stdout.setEncoding('utf8');
  kcat.stdout.on('data', (text: string) => {
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) take(line);
  });
  kcat.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  kcat.stdin.end();
  let failure: string | undefined;
  const done = new Promise<void>((resolve, reject) => {
    kcat.on('error', reject);
    kcat.on('close', (code, signal) => {
      take(pending);
      if (code === 0 || (stopping && signal !== null)) return resolve();
      failure = `kcat -C of ${topic} ended (${signal ?? `exit ${code}`}): ${stderr}`;
      reject(new Error(failure));
    });
  });
  // Observed through failure() or awaited later; never an unhandled rejection meanwhile.
  done.catch(() => undefined);
  return {
    done,
    failure: () => failure,
    async stop() {
      stopping = true;
      if (kcat.exitCode === null && kcat.signalCode === null) kcat.kill('SIGTERM');
      await done.catch(() => undefined);
    },
  };
}

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

/** The sequence number a record's value holds, or undefined for anything else. */
export function sequenceOf(value: string): number | undefined {
  const seq = Number(value);
  return Number.isSafeInteger(seq) && seq >= 0 && String(seq) === value ? seq : undefined;
}

/**
 * Reads a topic to its high watermarks, keeping numbers rather than strings, so that
 * millions of records fit.
 */
export async function readTopic(bootstrap: string, topic: string, timeoutMs: number): Promise<TopicContents> {
  const partitions = new Map<number, number[]>();
  const foreign: string[] = [];
  let probes = 0;
  let records = 0;
  const stream = streamTopic(bootstrap, topic, true, (partition, key, value) => {
    records += 1;
    if (key === PROBE_KEY) {
      probes += 1;
      return;
    }
    const seq = sequenceOf(value);
    if (seq === undefined) {
      if (foreign.length < 10) foreign.push(`${partition} ${key} ${value}`);
      return;
    }
    let list = partitions.get(partition);
    if (list === undefined) partitions.set(partition, (list = []));
    list.push(seq);
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`kcat did not read ${topic} to its end within ${timeoutMs} ms (${records} records so far)`)), timeoutMs);
  });
  try {
    await Promise.race([stream.done, timedOut]);
  } finally {
    clearTimeout(timer);
    await stream.stop();
  }
  return { partitions, probes, foreign, records };
}
