import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZOOKEEPER_MAX_BUFFER_BYTES } from '../zookeeper-connection.js';

/**
 * A standalone Apache ZooKeeper server for tests, started from the Debian package's jars
 * (`zookeeper.jar` names its dependencies in its manifest's Class-Path; slf4j-simple is added
 * so its log goes to `<dir>/zookeeper.log`). It listens on 127.0.0.1 (or `host`) on an
 * ephemeral port (or `port`),
 * ticks every 200 ms (sessions of 400 ms - 20 s), has the admin server off, accepts znodes
 * of up to 4 MiB (`jute.maxbuffer`, for Weir's 1 MiB data plus its header and multi
 * overhead) and answers the `ruok`/`srvr` four-letter words. Readiness is `srvr` answering
 * with a `Mode:` line, polled against a deadline.
 *
 * The server runs in its own process group; `stop()` kills the group, and every server still
 * running is killed when the test process exits.
 */
export interface ZooKeeperServerHandle {
  /** `<host>:<port>` (`127.0.0.1:<port>` by default) */
  readonly connectString: string;
  readonly port: number;
  /** The data directory (snapshots, transaction log, zoo.cfg, zookeeper.log). */
  readonly dir: string;
  /** Kills the server; removes the data directory unless `dir` was given to `start`. */
  stop(): Promise<void>;
  /** Kills the server, keeping its data (`restart()` brings it back). */
  kill(): Promise<void>;
  /** Kills the server if it runs, and starts it again on the same port with the same data. */
  restart(): Promise<void>;
}

export interface ZooKeeperServerStartOptions {
  /** Data directory to use (kept on stop). Default: a new temporary directory (removed on stop). */
  readonly dir?: string;
  /** Readiness deadline; default 30 s (a cold JVM on two busy cores takes a few seconds). */
  readonly startTimeoutMs?: number;
  /** Address to listen on (e.g. one reachable from other network namespaces); default 127.0.0.1. */
  readonly host?: string;
  /** Port to listen on; default a free ephemeral one. */
  readonly port?: number;
  /**
   * Member of an ensemble (see ZooKeeperEnsemble): this server's id and every member's
   * `server.<id>=` line value (`host:quorumPort:electionPort`), ids counting from 1.
   */
  readonly quorum?: { readonly myId: number; readonly members: readonly string[] };
}

const JAVA = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
const JARS = ['/usr/share/java/zookeeper.jar', '/usr/share/java/slf4j-simple.jar'];
// Runs a standalone server when the config names no quorum members.
const MAIN = 'org.apache.zookeeper.server.quorum.QuorumPeerMain';

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) killGroup(child);
  });
}

export async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Sends a four-letter word and returns the whole answer ('' when the port does not answer). */
export async function fourLetterWord(port: number, word: string, timeoutMs = 2000, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let answer = '';
    const done = (): void => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, done);
    socket.on('connect', () => socket.write(word));
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    socket.on('end', done);
    socket.on('error', done);
  });
}

export class ZooKeeperServer {
  /** Whether java and the Debian package's jars are present (suites skip loudly otherwise). */
  static available(): boolean {
    if (!JARS.every((jar) => existsSync(jar))) return false;
    const probe = spawnSync(JAVA, ['-version'], { stdio: 'ignore' });
    return probe.status === 0;
  }

  /** Why `available()` is false, for the skip message. */
  static unavailableReason(): string {
    const missing = JARS.filter((jar) => !existsSync(jar));
    if (missing.length > 0) return `${missing.join(', ')} missing (apt-get install zookeeper)`;
    return `${JAVA} -version failed (no Java runtime)`;
  }

  static async start(options: ZooKeeperServerStartOptions = {}): Promise<ZooKeeperServerHandle> {
    const ownsDir = options.dir === undefined;
    const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'weir-zookeeper-'));
    mkdirSync(join(dir, 'data'), { recursive: true });
    const quorum = options.quorum;
    if (quorum !== undefined) writeFileSync(join(dir, 'data', 'myid'), `${quorum.myId}\n`);
    const host = options.host ?? '127.0.0.1';
    const port = options.port ?? (await freePort(host));
    const config = join(dir, 'zoo.cfg');
    writeFileSync(
      config,
      [
        'tickTime=200',
        `dataDir=${join(dir, 'data')}`,
        `clientPort=${port}`,
        `clientPortAddress=${host}`,
        'minSessionTimeout=400',
        'maxSessionTimeout=20000',
        'admin.enableServer=false',
        '4lw.commands.whitelist=ruok,srvr,stat',
        'maxClientCnxns=0',
        ...(quorum === undefined ? [] : ['initLimit=25', 'syncLimit=10', ...quorum.members.map((member, i) => `server.${i + 1}=${member}`)]),
        '',
      ].join('\n'),
    );
    const timeoutMs = options.startTimeoutMs ?? 30_000;
    let child: ChildProcess | undefined;

    const launch = async (): Promise<void> => {
      const log = openSync(join(dir, 'zookeeper.log'), 'a');
      try {
        child = spawn(
          JAVA,
          [
            `-Djute.maxbuffer=${ZOOKEEPER_MAX_BUFFER_BYTES}`,
            '-Dzookeeper.admin.enableServer=false',
            '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
            '-Xms32m',
            '-Xmx256m',
            '-XX:+UseSerialGC',
            '-cp',
            JARS.join(':'),
            MAIN,
            config,
          ],
          { detached: true, stdio: ['ignore', log, log] },
        );
      } finally {
        closeSync(log);
      }
      installExitHook();
      const started = child;
      running.add(started);
      started.once('exit', () => running.delete(started));
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (started.exitCode !== null || started.signalCode !== null) {
          throw new Error(`ZooKeeper exited during start (code ${started.exitCode}, signal ${started.signalCode}); see ${join(dir, 'zookeeper.log')}`);
        }
        if ((await fourLetterWord(port, 'srvr', 1000, host)).includes('Mode:')) return;
        if (Date.now() > deadline) {
          killGroup(started);
          throw new Error(`ZooKeeper did not serve on ${host}:${port} within ${timeoutMs} ms; see ${join(dir, 'zookeeper.log')}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };

    const kill = async (): Promise<void> => {
      const current = child;
      child = undefined;
      if (current === undefined) return;
      if (current.exitCode === null && current.signalCode === null) {
        const exited = new Promise((resolve) => current.once('exit', resolve));
        killGroup(current);
        await exited;
      }
      running.delete(current);
    };

    await launch();
    return {
      connectString: `${host}:${port}`,
      port,
      dir,
      async stop() {
        await kill();
        if (ownsDir) rmSync(dir, { recursive: true, force: true });
      },
      kill,
      async restart() {
        await kill();
        await launch();
      },
    };
  }
}
