import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import pg from 'pg';
import { clusterServerUrl } from '../support/cluster-database.js';
import { ProcessCluster, waitFor } from '../support/cluster-processes.js';

// The multi-process harness itself (needs `npm run build` and PostgreSQL): three broker
// processes on one registry database, each signal reaching the real process, a restart
// keeping the broker's identity, and close() leaving neither processes nor the database.

/** Single-letter process state from /proc (T = stopped by a signal). */
function procState(pid: number): string | undefined {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return undefined;
  const text = readFileSync(stat, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2, text.lastIndexOf(')') + 3);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return procState(pid) !== 'Z';
  } catch {
    return false;
  }
}

function kafkaPortAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: clusterServerUrl() });
  await client.connect();
  try {
    return (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  } finally {
    await client.end();
  }
}

describe('process cluster harness', () => {
  let cluster: ProcessCluster;

  beforeAll(async () => {
    // 60 s: a broker that does not read WEIR_SESSION_TIMEOUT_MS keeps Kafka's 18 s session, and a restart waits it out.
    cluster = await ProcessCluster.start({ name: 'harness', brokers: 3, readyWithinMs: 60_000 });
  }, 120_000);

  afterAll(async () => {
    await cluster?.close();
  }, 60_000);

  it('starts every broker on the shared registry, with one agreed controller', () =>
    cluster.withLogsOnFailure(async () => {
      for (const b of cluster.brokers) expect(await cluster.rest(b.brokerId).brokers()).toEqual([1, 2, 3]);
      const controller = await cluster.waitForController(10_000);
      expect([1, 2, 3]).toContain(controller);
      const clusterIds = await Promise.all(cluster.brokers.map((b) => cluster.rest(b.brokerId).clusterId()));
      expect(new Set(clusterIds).size).toBe(1);
    }), 30_000);

  it('pauses and resumes a broker process (SIGSTOP, SIGCONT)', () =>
    cluster.withLogsOnFailure(async () => {
      const broker = cluster.broker(2);
      const pid = broker.pid!;
      const baseUrl = broker.baseUrl;
      broker.pause();
      await waitFor('the process to stop', async () => procState(pid) === 'T', 5000, 20);
      await expect(fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(500) })).rejects.toThrow();
      broker.resume();
      await waitFor('the process to run again', async () => procState(pid) !== 'T', 5000, 20);
      expect((await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(5000) })).status).toBe(200);
    }), 30_000);

  it('kills a broker (SIGKILL) and restarts it with the same id, data dir and Kafka port', () =>
    cluster.withLogsOnFailure(async () => {
      const broker = cluster.broker(3);
      const pid = broker.pid!;
      await cluster.kill(3);
      expect(alive(pid)).toBe(false);
      expect(broker.state).toBe('dead');
      expect(await kafkaPortAnswers(broker.kafkaPort)).toBe(false);
      expect(cluster.rest().baseUrl).not.toBe(undefined);

      await cluster.restart(3);
      expect(broker.pid).not.toBe(pid);
      expect(await kafkaPortAnswers(broker.kafkaPort)).toBe(true);
      await cluster.waitUntilRegistered([1, 2, 3], 60_000);
      expect(readFileSync(broker.logFile, 'utf8')).toContain('==== broker 3 start #2');
      expect(broker.unexpectedExits).toEqual([]);
    }), 120_000);

  it('leaves no broker process and no database behind after close', async () => {
    const pids = cluster.brokers.map((b) => b.pid!);
    const database = cluster.database.name;
    await cluster.close();
    for (const pid of pids) expect(alive(pid)).toBe(false);
    expect(await databaseExists(database)).toBe(false);
    expect(existsSync(cluster.dir)).toBe(false);
  }, 60_000);
});
