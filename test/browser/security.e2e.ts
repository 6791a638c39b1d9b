import type { ClusterData } from '@weir/contracts';
import { waitFor } from '../support/cluster-rest.js';
import { kafkaClient } from '../support/kafkajs.js';
import { type SecureGateway, startSecureGateway, type TestUser } from '../security/support/secure-gateway.js';
import { type ConsolePage, ConsoleSession, describeWithChromium } from './console-page.js';
import { createLoginLink, signInAs, sessionCookie, startOtherOrigin, watchForInjection } from './security-support.js';
import { auditInBothThemes } from './themes.js';

/**
 * The console with authentication on (WEIR_AUTH=on), in a real browser against a real
 * gateway: sign-in by one-time link (once only) and by password, sign-out refusing the
 * old cookie, what each role sees and may do, CSRF refusals (a forged request from
 * another origin with the session cookie), users and API keys made in the UI and used
 * against REST, the audit log of those actions, an ACL DENY taking effect on REST
 * produce, payloads in names rendered as text, and axe on every new page in both themes.
 * Screenshots go to test-artifacts/console/security-*.png.
 */
describeWithChromium('console security', () => {
  let session: ConsoleSession;
  let gateway: SecureGateway;
  let browser: ConsolePage;
  let page: ConsolePage['page'];
  let cluster: string;
  const until = (what: string, check: () => Promise<boolean>, timeoutMs = 20_000) => waitFor(what, check, timeoutMs, 50);
  /** A REST call straight to the gateway with the given headers; answers the status and body text. */
  const rest = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
    const res = await fetch(`${gateway.baseUrl}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, text: await res.text() };
  };
  const admin = () => gateway.adminBearer;
  const signIn = (user: TestUser) => signInAs(page, gateway.baseUrl, session.consoleUrl, user);
  const navLink = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
  const topicExists = async (name: string) => (await rest('GET', `${cluster}/topics/${name}`, admin())).status === 200;
  const produce = (user: TestUser, topic: string) => rest('POST', `${cluster}/topics/${topic}/records`, user.bearer, { value: { type: 'STRING', data: 'x' } });

  beforeAll(async () => {
    session = await ConsoleSession.start({}, async (options) => (gateway = await startSecureGateway(options)));
    ({ browser, page } = session);
    const clusters = JSON.parse((await rest('GET', '/v3/clusters', admin())).text) as { data: ClusterData[] };
    cluster = `/v3/clusters/${clusters.data[0]!.cluster_id}`;
    expect((await rest('POST', `${cluster}/topics`, admin(), { topic_name: 'sec-orders', partitions_count: 1, replication_factor: 1 })).status).toBe(201);
    for (let i = 0; i < 3; i++) expect((await rest('POST', `${cluster}/topics/sec-orders/records`, admin(), { value: { type: 'STRING', data: `r${i}` } })).status).toBe(200);
    // An empty group with a committed offset, for the offset reset wizard.
    const kafkaAdmin = kafkaClient(gateway.bootstrap).admin();
    await kafkaAdmin.connect();
    try {
      await kafkaAdmin.setOffsets({ groupId: 'sec-group', topic: 'sec-orders', partitions: [{ partition: 0, offset: '2' }] });
    } finally {
      await kafkaAdmin.disconnect();
    }
  }, 240_000);

  afterAll(async () => {
    await session?.close();
  }, 60_000);

  it('signs in with a one-time link, which then no longer works; then with a password; sign-out refuses the old cookie', async () => {
    await browser.go('/topics');
    await page.waitForURL(/\/login\?next=%2Ftopics$/);
    await page.getByRole('heading', { name: 'Sign in to Weir' }).waitFor();
    expect(await navLink('Topics').count()).toBe(0);
    await auditInBothThemes(browser, 'security-01-login');

    const token = await createLoginLink(gateway, gateway.users.admin.name);
    await browser.go(`/login?token=${encodeURIComponent(token)}&next=%2Ftopics`);
    await page.waitForURL(/\/topics$/);
    expect(await browser.visibleText(page.getByTestId('signed-in-user'))).toBe('t-admin (admin)');

    await page.context().clearCookies();
    await browser.go(`/login?token=${encodeURIComponent(token)}`);
    await page.getByRole('alert').filter({ hasText: 'already used or has expired' }).waitFor();
    await browser.shot('security-02-link-used');

    await page.getByLabel('User name').fill(gateway.users.operator.name);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong user name or password.' }).waitFor();
    await page.getByLabel('Password').fill(gateway.users.operator.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    expect(await browser.visibleText(page.getByTestId('signed-in-user'))).toBe('t-operator (operator)');
    const cookie = await sessionCookie(page);
    expect(cookie).toBeDefined();
    expect((await rest('GET', '/v3/auth/me', { cookie: `weir_session=${cookie}` })).status).toBe(200);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login$/);
    expect(await sessionCookie(page)).toBeUndefined();
    expect((await rest('GET', '/v3/auth/me', { cookie: `weir_session=${cookie}` })).status).toBe(401);
  }, 120_000);

  it('shows an operator no admin pages, refuses them by URL, and lets it edit configs and reset offsets', async () => {
    await signIn(gateway.users.operator);
    await browser.go('/');
    await navLink('Topics').waitFor();
    for (const admin of ['Users', 'ACLs', 'Audit log', 'Registry']) expect(await navLink(admin).count()).toBe(0);
    for (const path of ['/users', '/acls', '/audit', '/registry']) {
      await browser.go(path);
      await page.getByRole('alert').filter({ hasText: 'Not permitted' }).waitFor();
    }
    await auditInBothThemes(browser, 'security-03-not-permitted');

    await browser.go('/topics');
    await page.getByRole('link', { name: 'Create topic' }).waitFor();
    // The live socket goes through the proxy with the session cookie on its upgrade.
    await page.getByTestId('live-status').filter({ hasText: 'Live' }).filter({ hasNotText: 'off' }).waitFor();
    await browser.go('/topics/sec-orders?tab=configs');
    const row = page.getByTestId('config-retention.ms');
    await row.getByRole('button', { name: 'Edit retention.ms' }).click();
    await row.getByLabel('New value of retention.ms').fill('3600000');
    await row.getByRole('button', { name: 'Save' }).click();
    await row.getByRole('button', { name: 'Confirm' }).click();
    await row.getByTestId('config-value').filter({ hasText: '3600000' }).waitFor();

    await browser.go('/consumer-groups/sec-group');
    await page.getByLabel('Reset to').selectOption('earliest');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('button', { name: 'Apply…' }).click();
    await page.getByRole('button', { name: 'Confirm reset' }).click();
    await page.getByRole('status').filter({ hasText: 'Committed 1 offset(s) for sec-group.' }).waitFor();
  }, 90_000);

  it('shows a viewer no mutation controls, and refuses its forged mutations (403)', async () => {
    const viewer = await signIn(gateway.users.viewer);
    await browser.go('/topics');
    await page.getByRole('link', { name: 'sec-orders', exact: true }).filter({ visible: true }).waitFor();
    expect(await page.getByRole('link', { name: 'Create topic' }).count()).toBe(0);
    await browser.go('/topics/sec-orders?tab=configs');
    await page.getByTestId('config-retention.ms').waitFor();
    expect(await page.getByRole('button', { name: /^Edit / }).count()).toBe(0);
    expect(await page.getByRole('navigation', { name: 'Topic views' }).getByRole('link', { name: 'Produce' }).count()).toBe(0);
    await browser.go('/topics/sec-orders?tab=partitions');
    expect(await page.getByRole('button', { name: /Elect preferred leaders/ }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Reassign partitions' }).count()).toBe(0);
    await browser.go('/topics/new');
    await page.getByRole('alert').filter({ hasText: 'Not permitted' }).waitFor();
    await browser.go('/consumer-groups/sec-group');
    await page.getByTestId('group-members').waitFor();
    expect(await page.getByRole('heading', { name: 'Reset offsets' }).count()).toBe(0);

    // The viewer's own session and CSRF token, through the console's proxy: the role check refuses.
    const forged = await page.request.post(`${session.consoleUrl}/gateway${cluster}/topics`, {
      headers: { 'x-csrf-token': viewer.csrfToken },
      data: { topic_name: 'viewer-made', partitions_count: 1 },
    });
    expect(forged.status()).toBe(403);
    expect(await topicExists('viewer-made')).toBe(false);
  }, 90_000);

  it('refuses a cookie-authenticated mutation without the CSRF header, also from another origin', async () => {
    await signIn(gateway.users.admin);
    const noHeader = await page.request.post(`${session.consoleUrl}/gateway${cluster}/topics`, { data: { topic_name: 'csrf-a', partitions_count: 1 } });
    expect(noHeader.status()).toBe(403);

    const other = await startOtherOrigin();
    try {
      await page.goto(other.url);
      const target = `${session.consoleUrl}/gateway${cluster}/topics`;
      const answered = page.waitForResponse((res) => res.url() === target);
      await page.evaluate(
        ([url, body]) => void fetch(url, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body }).catch(() => undefined),
        [target, JSON.stringify({ topic_name: 'csrf-b', partitions_count: 1 })] as const,
      );
      expect((await answered).status()).toBe(403);
    } finally {
      await other.close();
    }
    expect(await topicExists('csrf-a')).toBe(false);
    expect(await topicExists('csrf-b')).toBe(false);
  }, 60_000);

  it('has the gateway mark the session cookie Secure when the console is reached over TLS', async () => {
    const login = (headers: Record<string, string>) =>
      fetch(`${session.consoleUrl}/gateway/v3/auth/login`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ username: gateway.users.viewer.name, password: gateway.users.viewer.password }),
      });
    const sessionCookieOf = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith('weir_session='));
    // As a TLS-terminating proxy in front of the console says it.
    const overTls = await login({ 'x-forwarded-proto': 'https' });
    expect(overTls.status).toBe(200);
    expect(sessionCookieOf(overTls)).toMatch(/;\s*Secure/i);
    const plain = await login({});
    expect(plain.status).toBe(200);
    expect(sessionCookieOf(plain)).toMatch(/HttpOnly/i);
    expect(sessionCookieOf(plain)).not.toMatch(/;\s*Secure/i);
  });

  it('lets an admin create a user and an API key in the UI; the key works against REST until revoked', async () => {
    await signIn(gateway.users.admin);
    await browser.go('/users');
    const form = page.getByRole('form', { name: 'Create user' });
    await form.getByLabel('Name', { exact: true }).fill('ui-user');
    await form.getByLabel('Role', { exact: true }).selectOption('operator');
    await form.getByLabel('Initial password').fill('ui-user-password-1');
    await form.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('status').filter({ hasText: 'User ui-user created (operator).' }).waitFor();
    await page.getByTestId('user-ui-user').filter({ visible: true }).waitFor();
    await auditInBothThemes(browser, 'security-04-users');

    await page.getByRole('link', { name: 'API keys of ui-user' }).filter({ visible: true }).click();
    await page.waitForURL(/\/users\/ui-user$/);
    await browser.settled();
    await page.getByLabel('Key name').fill('ci');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = (await page.getByTestId('new-api-key').textContent())!;
    expect(key).toMatch(/^[^.]+\..+$/);
    await auditInBothThemes(browser, 'security-05-api-key-created');
    const bearer = { authorization: `Bearer ${key}` };
    expect((await rest('GET', `${cluster}/topics`, bearer)).status).toBe(200);

    const keyId = key.split('.')[0]!;
    const keyRow = page.getByTestId(`api-key-${keyId}`).filter({ visible: true });
    await keyRow.getByRole('button', { name: /^Revoke key ci/ }).click();
    await keyRow.getByRole('button', { name: 'Confirm' }).click();
    await page.getByTestId(`api-key-${keyId}`).waitFor({ state: 'detached' });
    await until('the revoked key is refused', async () => (await rest('GET', `${cluster}/topics`, bearer)).status === 401);
  }, 90_000);

  it('shows the console actions in the audit log (door console, the admin as actor) and exports them as CSV', async () => {
    await browser.go('/audit?actor=t-admin&door=console');
    const entry = (action: string) => page.getByTestId('audit-entry').filter({ visible: true }).filter({ hasText: action });
    for (const action of ['user.create', 'api-key.create', 'api-key.delete']) await entry(action).first().waitFor();
    const created = entry('user.create').first();
    expect(await created.getByRole('cell').nth(2).textContent()).toBe('console');
    await created.getByText('Details').click();
    expect(await created.getByRole('table').textContent()).toContain('operator');
    await auditInBothThemes(browser, 'security-06-audit');

    const href = (await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href'))!;
    expect(href).toContain('format=csv');
    const csv = await page.request.get(`${session.consoleUrl}${href}`);
    expect(csv.status()).toBe(200);
    const text = await csv.text();
    expect(text.split('\n')[0]).toContain('action');
    expect(text).toContain('user.create');
    expect(text).toContain('console');
  }, 60_000);

  it('creates a DENY in the ACL page, which refuses that principal\'s REST produce, and deletes it', async () => {
    expect((await produce(gateway.users.operator, 'sec-orders')).status).toBe(200);
    await browser.go('/acls');
    const form = page.getByRole('form', { name: 'Create ACL' });
    await form.getByLabel('Resource name').fill('sec-orders');
    await form.getByLabel('Principal').fill('User:t-operator');
    await form.getByLabel('Operation').selectOption('WRITE');
    await form.getByLabel('Permission').selectOption('DENY');
    await form.getByRole('button', { name: 'Create ACL' }).click();
    await page.getByRole('status').filter({ hasText: 'DENY WRITE on TOPIC sec-orders' }).waitFor();
    const row = page.getByTestId('acl-row').filter({ visible: true }).filter({ hasText: 'User:t-operator' });
    await row.waitFor();
    await auditInBothThemes(browser, 'security-07-acls');
    await until('the DENY refuses the produce', async () => (await produce(gateway.users.operator, 'sec-orders')).status === 403);

    await row.getByRole('button', { name: /^Delete ACL/ }).click();
    await row.getByRole('button', { name: 'Confirm' }).click();
    await row.waitFor({ state: 'detached' });
    await until('the produce is allowed again', async () => (await produce(gateway.users.operator, 'sec-orders')).status === 200);
  }, 90_000);

  it('renders script payloads in audit entries, API key names, a refused config value and ACLs as text', async () => {
    const injected = watchForInjection(page);
    const script = '<script>alert(1)</script>';
    const img = '<img src=x onerror=alert(2)>';
    // A failed login is audited with the name it tried.
    expect((await rest('POST', '/v3/auth/login', {}, { username: img, password: 'whatever-it-is' })).status).toBe(401);
    expect((await rest('POST', `/v3/users/${gateway.users.admin.name}/api-keys`, admin(), { name: script })).status).toBe(201);
    await browser.go('/audit?action=auth.login&result=failure');
    await page.getByTestId('audit-entry').filter({ visible: true }).filter({ hasText: img }).first().waitFor();
    await browser.go('/users/t-admin');
    await page.getByText(script, { exact: true }).filter({ visible: true }).waitFor();
    await browser.go('/account');
    expect(await browser.visibleText(page.getByTestId('account-name'))).toBe('t-admin');
    await auditInBothThemes(browser, 'security-08-account');
    // A config value the broker refuses comes back in its message, shown as text too.
    await browser.go('/topics/sec-orders?tab=configs');
    const row = page.getByTestId('config-cleanup.policy');
    await row.getByRole('button', { name: 'Edit cleanup.policy' }).click();
    await row.getByLabel('New value of cleanup.policy').fill(img);
    await row.getByRole('button', { name: 'Save' }).click();
    await row.getByRole('alert').filter({ hasText: img }).waitFor();
    expect(await injected()).toEqual({ dialogs: 0, scripts: 0, handlers: 0 });

    const acl = { resource_type: 'TOPIC', resource_name: img, pattern_type: 'LITERAL', principal: `User:${script}`, host: '*', operation: 'READ', permission: 'ALLOW' };
    expect((await rest('POST', `${cluster}/acls`, admin(), acl)).status).toBe(201);
    await browser.go('/acls');
    await page.getByText(`User:${script}`, { exact: true }).filter({ visible: true }).waitFor();
    await page.getByText(img, { exact: true }).filter({ visible: true }).waitFor();
    expect(await injected()).toEqual({ dialogs: 0, scripts: 0, handlers: 0 });
  }, 60_000);
});
