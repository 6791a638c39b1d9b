import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { axeViolations, failing } from './accessibility.js';
import { startTestGateway, type TestGateway, type TestGatewayOptions } from '../support/gateway.js';
import { REPO_ROOT } from '../support/ts-child.js';
import { ensureConsoleBuilt, startConsole, type RunningConsole } from './console-server.js';

/** Debian's chromium; the browser suites skip with a message without it. */
export const CHROMIUM = '/usr/bin/chromium';
/** Screenshots of each step of the browser suites. */
export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts/console');

export const describeWithChromium = existsSync(CHROMIUM) ? describe : describe.skip;
if (!existsSync(CHROMIUM)) {
  console.warn(`browser e2e skipped: ${CHROMIUM} is absent (apt-get install -y chromium)`);
}

/** A headless Chromium page on the console, with the waits the console's streamed pages need. */
export class ConsolePage {
  private constructor(
    private readonly browser: Browser,
    readonly page: Page,
    private readonly baseUrl: () => string,
  ) {}

  /** `baseUrl` is read on each navigation: a test may restart the console on a new port. */
  static async open(baseUrl: () => string): Promise<ConsolePage> {
    mkdirSync(ARTIFACTS, { recursive: true });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(15_000);
    return new ConsolePage(browser, page, baseUrl);
  }

  shot(name: string): Promise<Buffer> {
    return this.page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  }

  /**
   * A screenshot and an axe-core audit of the page as it is now, both saved as artifacts
   * (`<name>.png`, `<name>.axe.json`); throws listing every serious or critical violation.
   */
  async audit(name: string): Promise<void> {
    await this.settled();
    await this.shot(name);
    const violations = await axeViolations(this.page);
    writeFileSync(join(ARTIFACTS, `${name}.axe.json`), JSON.stringify(violations, null, 2));
    const serious = failing(violations);
    if (serious.length > 0) throw new Error(`axe-core found ${serious.length} serious or critical violation(s) on ${name}:\n${serious.join('\n')}`);
  }

  /**
   * Streamed Suspense content sits hidden in the DOM until React swaps it in for the
   * skeleton: a page is settled when no loading skeleton is left.
   */
  settled(): Promise<void> {
    return this.page.locator('[role="status"][aria-label^="Loading"]').first().waitFor({ state: 'detached' });
  }

  /**
   * Only the rendered copy counts: a streamed or refreshed segment can briefly leave a
   * hidden duplicate in the DOM, which must not trip Playwright's strict mode.
   */
  async visibleText(locator: Locator): Promise<string | null> {
    await this.settled();
    const shown = locator.filter({ visible: true });
    await shown.waitFor();
    return shown.textContent();
  }

  async go(path: string): Promise<void> {
    await this.page.goto(`${this.baseUrl()}${path}`, { waitUntil: 'domcontentloaded' });
    await this.settled();
  }

  async reload(): Promise<void> {
    await this.page.reload({ waitUntil: 'domcontentloaded' });
    await this.settled();
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}

/**
 * A gateway in this process, `next start` of the console against it, and a browser page
 * on the console: what each browser suite starts in beforeAll and closes in afterAll.
 */
export class ConsoleSession {
  private browserValue: ConsolePage | undefined;

  private constructor(
    readonly gateway: TestGateway,
    private consoleApp: RunningConsole,
  ) {}

  /** `launch` starts the gateway (the security suites pass one with authentication on). */
  static async start(options: TestGatewayOptions = {}, launch: (options: TestGatewayOptions) => Promise<TestGateway> = startTestGateway): Promise<ConsoleSession> {
    ensureConsoleBuilt();
    const gateway = await launch(options);
    let session: ConsoleSession;
    try {
      session = new ConsoleSession(gateway, await startConsole(gateway.baseUrl));
    } catch (err) {
      await gateway.close();
      throw err;
    }
    try {
      session.browserValue = await ConsolePage.open(() => session.consoleApp.url);
    } catch (err) {
      await session.close();
      throw err;
    }
    return session;
  }

  get browser(): ConsolePage {
    return this.browserValue!;
  }

  get page(): Page {
    return this.browser.page;
  }

  /** The console's origin, `http://127.0.0.1:<port>`. */
  get consoleUrl(): string {
    return this.consoleApp.url;
  }

  /** Restarts the gateway on its data dir (new ports), and the console against it. */
  async restartGateway(): Promise<void> {
    await this.gateway.restart();
    await this.consoleApp.stop();
    this.consoleApp = await startConsole(this.gateway.baseUrl);
  }

  async close(): Promise<void> {
    await this.browserValue?.close();
    await this.consoleApp.stop();
    await this.gateway.close();
  }
}
