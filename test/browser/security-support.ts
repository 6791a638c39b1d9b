import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { PRISMA } from '../../apps/gateway/src/registry/registry.module.js';
import type { TestGateway } from '../support/gateway.js';
import { loginSession, type TestSession, type TestUser } from '../security/support/secure-gateway.js';

/** The part of the Prisma client these helpers use (the gateway's own, by its token). */
interface LoginLinkStore {
  securityUser: { findUniqueOrThrow(args: { where: { name: string } }): Promise<{ id: number }> };
  securityLoginLink: { create(args: { data: { id: string; userId: number; expiresAt: Date } }): Promise<unknown> };
}

/**
 * A one-time console login link for `user`, written the way the gateway's first start
 * writes its own (the id is the SHA-256 of the token), valid for 24 hours.
 */
export async function createLoginLink(gateway: TestGateway, user: string): Promise<string> {
  const prisma = gateway.get<LoginLinkStore>(PRISMA);
  const token = randomBytes(24).toString('base64url');
  const { id: userId } = await prisma.securityUser.findUniqueOrThrow({ where: { name: user } });
  await prisma.securityLoginLink.create({ data: { id: createHash('sha256').update(token).digest('hex'), userId, expiresAt: new Date(Date.now() + 86_400_000) } });
  return token;
}

/**
 * Signs the browser in as `user` without the form (a REST login, its cookies put in the
 * browser for the console's host; cookies are not port-specific): the suites' shortcut
 * once the form itself has been tested.
 */
export async function signInAs(page: Page, gatewayUrl: string, consoleUrl: string, user: TestUser): Promise<TestSession> {
  const session = await loginSession(gatewayUrl, user.name, user.password);
  await page.context().clearCookies();
  const cookies = session.cookie.split('; ').map((pair) => {
    const [name, ...value] = pair.split('=');
    return { name: name!, value: value.join('='), url: consoleUrl, sameSite: 'Strict' as const };
  });
  await page.context().addCookies(cookies);
  return session;
}

/** The browser's current `weir_session` cookie value, or undefined. */
export async function sessionCookie(page: Page): Promise<string | undefined> {
  return (await page.context().cookies()).find((c) => c.name === 'weir_session')?.value;
}

export interface OtherOrigin {
  readonly url: string;
  close(): Promise<void>;
}

/** An empty page on another origin (another port of 127.0.0.1), where a forged request starts. */
export async function startOtherOrigin(): Promise<OtherOrigin> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>elsewhere</title><p>another site</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}

/**
 * What an injected payload would have done had it become markup: dialogs opened, script
 * elements of its own (the console's flight data carries the payload inside a JS string,
 * so only a script whose code starts with it counts), elements with an onerror handler.
 */
export function watchForInjection(page: Page): () => Promise<{ dialogs: number; scripts: number; handlers: number }> {
  let dialogs = 0;
  page.on('dialog', (dialog) => {
    dialogs++;
    void dialog.dismiss();
  });
  return async () => ({
    dialogs,
    scripts: await page.evaluate<number>("[...document.scripts].filter((s) => /^\\s*alert\\(/.test(s.textContent ?? '')).length"),
    handlers: await page.locator('[onerror]').count(),
  });
}
