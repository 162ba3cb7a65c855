import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt } from '../../console/build.js';
import type { LocalMail } from '../../functions/api/local/local-mailbox.js';
import { type FakeOidcProvider, startFakeOidcProvider } from '../support/fake-oidc-provider.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(process.cwd(), 'test-results', 'console');
const CLIENT_ID = 'nextgen-rbac-console';

/** Sign-in through an OIDC provider, when the server is configured with one (DESIGN §15, issue 16 item 2). */
describe('the console signs in through the OIDC provider', () => {
  let provider: FakeOidcProvider;
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await ensureConsoleBuilt();
    await mkdir(SCREENSHOTS, { recursive: true });
    provider = await startFakeOidcProvider();
    server = await startTestServer(undefined, { oidc: { issuer: provider.issuer, audience: CLIENT_ID } });
    // Ann is invited and accepts, so she is an active user of the account with her e-mail.
    const q = `accountIdentifier=${server.accountId}`;
    expect(
      (await server.api('POST', `/ng/api/user/users?${q}`, { body: { emails: ['ann@example.com'] } })).status,
    ).toBe(200);
    const mail = (
      (await server.api('GET', '/local/mail', { token: null })).body as unknown as LocalMail[]
    ).at(-1);
    const accepted = await server.api('POST', '/ng/api/invites/accept', {
      token: null,
      body: { token: mail?.token, name: 'Ann' },
    });
    expect(accepted.status).toBe(200);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-background-networking'],
    });
    page = await (await browser.newContext({ viewport: { width: 1360, height: 900 } })).newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await provider?.close();
  });

  async function signInWithOidc(account: string): Promise<void> {
    await page.goto(`${server.url}/console/`);
    const form = page.getByRole('form', { name: 'Sign in with OIDC' });
    await form.getByLabel('Account', { exact: true }).fill(account);
    await form.getByRole('button', { name: 'Sign in with OIDC', exact: true }).click();
  }

  it('refuses, in words, a provider user who is no active user of the account', async () => {
    provider.signInAs('mallory@example.com');
    await signInWithOidc(server.accountId);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('not accepted');
    expect(page.url()).not.toContain('code=');
    expect(await page.evaluate('Object.keys(sessionStorage)')).not.toContain('nextgen-rbac.oidc');
  });

  it('signs Ann in through the provider, acts as her with the ID token, records the sign-in, and signs out', async () => {
    provider.signInAs('ann@example.com');
    const issuedBefore = provider.issued();
    await signInWithOidc(server.accountId);
    await page.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
    expect(await page.locator('header .account').textContent()).toContain(server.accountId);
    expect(provider.issued()).toBe(issuedBefore + 1);
    expect(page.url()).not.toContain('code=');
    await page.getByRole('link', { name: 'Users', exact: true }).click();
    await page.getByRole('cell', { name: 'ann@example.com' }).first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, '19-signed-in-with-oidc.png'), fullPage: true });

    const logins = await server.api('POST', `/audit/api/audits/list?accountIdentifier=${server.accountId}`, {
      body: { actions: ['LOGIN'] },
    });
    const events = (logins.body.data as { content: { resource: { identifier: string } }[] }).content;
    expect(events).toHaveLength(1);

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByLabel('API token', { exact: true }).waitFor();
    expect(await page.evaluate('Object.keys(sessionStorage)')).not.toContain('nextgen-rbac.oidc');
  });

  it('explains a sign-in the provider refused', async () => {
    provider.signInAs(undefined);
    await signInWithOidc(server.accountId);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('refused the sign-in');
  });
});
