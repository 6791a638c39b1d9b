import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { REPO_ROOT } from '../support/ts-child.js';

// The walkthrough is curl and kcat commands; without them there is nothing to run (CI installs both).
const hasCurl = spawnSync('curl', ['--version'], { stdio: 'ignore' }).status === 0;
const hasKcat = spawnSync('kcat', ['-V'], { stdio: 'ignore' }).status === 0;
if (!hasCurl || !hasKcat) console.warn('test/readme: curl or kcat is not installed, so the README walkthrough test is skipped');

const SCRIPT = join(REPO_ROOT, 'scripts/readme-walkthrough.mjs');
const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

/** Runs the walkthrough script as CI does. Async: the gateway answers from this process. */
function walkthrough(gw: TestGateway, readme?: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT, gw.baseUrl, '--kafka', gw.bootstrap, ...(readme === undefined ? [] : ['--readme', readme])], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

(hasCurl && hasKcat ? describe : describe.skip)('README walkthroughs ("REST in 60 seconds", "Kafka clients in 60 seconds")', () => {
  let gw: TestGateway;
  let scratch: string;

  beforeAll(async () => {
    gw = await startTestGateway();
    scratch = mkdtempSync(join(tmpdir(), 'weir-readme-'));
  }, 60_000);

  afterAll(async () => {
    rmSync(scratch, { recursive: true, force: true });
    await gw.close();
  }, 30_000);

  /** A copy of the README with one edit, which must be there to make. */
  function readmeWith(from: string, to: string): string {
    expect(README).toContain(from);
    const file = join(scratch, `README-${Math.random().toString(36).slice(2)}.md`);
    writeFileSync(file, README.replace(from, to));
    return file;
  }

  it('runs every command of the walkthrough and sees what the README shows', async () => {
    const run = await walkthrough(gw);
    expect(run.output).toMatch(/README walkthrough: \d+ steps passed/);
    expect(run.output).not.toContain('FAIL');
    expect(run.code).toBe(0);
  });

  it('can run again on the same gateway (it deletes what it creates)', async () => {
    const run = await walkthrough(gw);
    expect(run.code).toBe(0);
  });

  // The two checks below edit the last step only, so the gateway is left as clean as after a pass.
  it('fails when a step prints other output than the README shows', async () => {
    const run = await walkthrough(gw, readmeWith('# => {"error_code":40403,', '# => {"error_code":40400,'));
    expect(run.code).toBe(1);
    expect(run.output).toContain('printed other output than the README shows');
  });

  it('fails when a command fails', async () => {
    const run = await walkthrough(gw, readmeWith('curl -sS -H "$AUTH" "$TOPICS/greetings"; echo', 'curl -fsS -H "$AUTH" "$TOPICS/greetings"; echo'));
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/FAIL step \d+ .*\n\s+exited with 22/);
  });
});
