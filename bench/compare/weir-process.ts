import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';

/** The Weir broker child (weir-broker.ts) and its command channel. */
export interface WeirProcess {
  readonly pid: number;
  readonly bootstrap: string;
  readonly dataDir: string;
  call<T>(command: { op: 'create' | 'stored' | 'size' | 'delete'; topic: string; partitions?: number }): Promise<T>;
  /** Ends stdin and waits for the broker to close (and write its profile, under --cpu-prof). */
  close(): Promise<void>;
}

/**
 * Starts weir-broker.ts under tsx with the workspace sources, its data dir under
 * `dataDirParent`; with `cpuProfDir`, node profiles it (--cpu-prof) and writes the
 * .cpuprofile there when it exits.
 */
export async function startWeirProcess(dataDirParent: string, cpuProfDir?: string): Promise<WeirProcess> {
  const profiling = cpuProfDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', cpuProfDir];
  const child: ChildProcess = spawn(process.execPath, [...profiling, '--import', 'tsx', '--conditions=weir-source', new URL('./weir-broker.ts', import.meta.url).pathname, dataDirParent], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: Interface = createInterface({ input: child.stdout! });
  const waiting: ((line: string) => void)[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  lines.on('line', (line) => waiting.shift()?.(line));
  const next = () =>
    new Promise<string>((resolve, reject) => {
      waiting.push(resolve);
      void exited.then((code) => reject(new Error(`weir broker exited ${code}`)));
    });
  const hello = JSON.parse(await next()) as { bootstrap: string; dataDir: string };
  return {
    pid: child.pid!,
    bootstrap: hello.bootstrap,
    dataDir: hello.dataDir,
    async call<T>(command: object): Promise<T> {
      const reply = next();
      child.stdin!.write(`${JSON.stringify(command)}\n`);
      const answer = JSON.parse(await reply) as T & { error?: string };
      if (answer.error !== undefined) throw new Error(`weir broker: ${answer.error}`);
      return answer;
    },
    async close() {
      child.stdin!.end();
      const code = await exited;
      if (code !== 0) throw new Error(`weir broker exited ${code}`);
    },
  };
}
