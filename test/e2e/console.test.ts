import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt } from '../../console/build.js';
import type { LocalMail } from '../../functions/api/local/local-mailbox.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** Debian's chromium (`apt-get install chromium`; `.ci/run` installs it); never a downloaded browser. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(process.cwd(), 'test-results', 'console');
const DAY_SECONDS = 24 * 3600;

let server: TestServer;
let browser: Browser;
let admin: BrowserContext;
let page: Page;

async function shot(target: Page, name: string): Promise<void> {
  await target.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Every value the page keeps in its session storage. */
async function sessionValues(target: Page): Promise<string[]> {
  return (await target.evaluate('Object.values(sessionStorage)')) as string[];
}

async function lastMailTo(email: string): Promise<LocalMail> {
  const reply = await server.api('GET', '/local/mail', { token: null });
  const mail = (reply.body as unknown as LocalMail[]).filter((message) => message.to === email).at(-1);
  if (!mail) throw new Error(`no mail to ${email}`);
  return mail;
}

async function go(label: string): Promise<void> {
  await page.getByRole('link', { name: label, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: label, exact: true }).waitFor();
}

async function chooseScope(value: string): Promise<void> {
  await page.getByLabel('Scope', { exact: true }).selectOption(value);
}

/** Fills the access check form and answers the decision word shown. */
async function checkAnn(): Promise<string> {
  await go('Access check');
  await page.getByLabel('Principal type', { exact: true }).selectOption('USER');
  await page.getByLabel('Principal', { exact: true }).fill('ann@example.com');
  await page.getByLabel('Permission', { exact: true }).fill('core_pipeline_execute');
  await page.getByLabel('Resource type', { exact: true }).selectOption('PIPELINE');
  await page.getByLabel('Resource identifier', { exact: true }).fill('release');
  await page.getByLabel('Organization', { exact: true }).fill('payments');
  await page.getByLabel('Project', { exact: true }).fill('checkout');
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  const decision = page.locator('.decision');
  await decision.waitFor();
  return (await decision.textContent()) ?? '';
}

describe('the web console in headless Chromium', () => {
  beforeAll(async () => {
    await ensureConsoleBuilt();
    await mkdir(SCREENSHOTS, { recursive: true });
    server = await startTestServer();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-background-networking'],
    });
    admin = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    page = await admin.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('refuses a wrong token next to the API token field, then signs in and shows the account', async () => {
    await page.goto(`${server.url}/console/`);
    const tokenField = page.getByLabel('API token', { exact: true });
    expect(await tokenField.getAttribute('type')).toBe('password');
    await tokenField.fill(`sat.${server.accountId}.nosuchtoken.secret`);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => page.locator('.field-error').textContent()).toContain('not accepted');
    await shot(page, '01-sign-in-refused');

    // Keyboard only: focus the field, type, Enter.
    await tokenField.fill('');
    await tokenField.focus();
    await page.keyboard.type(server.adminToken);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
    expect(await page.locator('header .account').textContent()).toContain(server.accountId);
    expect(page.url()).not.toContain(server.adminToken);
    const stored = await sessionValues(page);
    expect(stored).toContain(server.adminToken);
    for (const label of [
      'Organizations',
      'Projects',
      'Users',
      'User groups',
      'Service accounts',
      'Roles',
      'Resource groups',
      'Role assignments',
      'Access check',
      'Access review',
    ]) {
      expect(await page.getByRole('link', { name: label, exact: true }).count()).toBe(1);
    }
  });

  it('is usable from the keyboard with a visible focus', async () => {
    await page.goto(`${server.url}/console/organizations`);
    await page.getByRole('heading', { level: 1, name: 'Organizations', exact: true }).waitFor();
    await page.keyboard.press('Tab');
    const skip = await page.evaluate('document.activeElement.textContent');
    expect(skip).toBe('Skip to content');
    for (let step = 0; step < 12; step += 1) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate('document.activeElement.textContent')) === 'Projects') break;
    }
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Projects');
    const outline = (await page.evaluate(
      'getComputedStyle(document.activeElement).outlineStyle + " " + getComputedStyle(document.activeElement).outlineWidth',
    )) as string;
    expect(outline).toMatch(/^solid [1-9]/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Projects', exact: true }).waitFor();
    await shot(page, '02-keyboard-focus');
  });

  it('shows an API field error next to the field it names, and changes nothing', async () => {
    await go('Organizations');
    await page.getByLabel('Identifier', { exact: true }).fill('1bad');
    await page.getByLabel('Name', { exact: true }).fill('Bad');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const identifier = page.getByLabel('Identifier', { exact: true });
    await expect.poll(() => identifier.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await identifier.getAttribute('aria-describedby')) ?? '';
    const errorText = await page.locator(`[id="${describedBy.split(' ').at(-1)}"]`).textContent();
    expect(errorText).toContain('alphanumeric');
    await shot(page, '02-organization-field-error');
    const listed = await server.api('GET', `/ng/api/organizations?accountIdentifier=${server.accountId}`);
    expect(JSON.stringify(listed.body)).not.toContain('1bad');
  });

  it('creates an organization and a project, which the scope picker then offers', async () => {
    await page.getByLabel('Identifier', { exact: true }).fill('payments');
    await page.getByLabel('Name', { exact: true }).fill('Payments');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('cell', { name: 'payments', exact: true }).waitFor();
    await shot(page, '03-organizations');

    await go('Projects');
    await page.getByLabel('Organization', { exact: true }).selectOption('payments');
    await page.getByLabel('Identifier', { exact: true }).fill('checkout');
    await page.getByLabel('Name', { exact: true }).fill('Checkout');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('cell', { name: 'checkout', exact: true }).waitFor();
    await shot(page, '04-projects');
    await expect
      .poll(() => page.getByLabel('Scope', { exact: true }).locator('option').allTextContents())
      .toContain('Project: Checkout (payments/checkout)');
    const project = await server.api(
      'GET',
      `/ng/api/projects/checkout?accountIdentifier=${server.accountId}&orgIdentifier=payments`,
    );
    expect(project.status).toBe(200);
  });

  it('invites a user at the organization, who accepts on the page the mail links to', async () => {
    await chooseScope('payments');
    await go('Users');
    await page.getByLabel('Emails', { exact: true }).fill('ann@example.com');
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    await page.getByRole('cell', { name: 'ann@example.com', exact: true }).waitFor();
    await shot(page, '05-users-with-invite');

    const mail = await lastMailTo('ann@example.com');
    expect(mail.acceptUrl).toBe(`${server.url}/console/invite?token=${encodeURIComponent(mail.token)}`);
    const invitee = await browser.newContext();
    const acceptPage = await invitee.newPage();
    await acceptPage.goto(mail.acceptUrl);
    await acceptPage.getByLabel('Your name', { exact: true }).fill('Ann');
    expect(acceptPage.url()).not.toContain('token=');
    await shot(acceptPage, '06-accept-invite');
    await acceptPage.getByRole('button', { name: 'Accept invite', exact: true }).click();
    await acceptPage.getByRole('heading', { name: 'Invite accepted' }).waitFor();
    const personalToken = await acceptPage.getByLabel('Your personal token').inputValue();
    expect(personalToken).toMatch(new RegExp(`^pat\\.${server.accountId}\\.`));
    expect(await acceptPage.getByRole('button', { name: 'Copy' }).count()).toBe(1);
    await shot(acceptPage, '07-invite-accepted');

    // The same link again: superseded by use, explained in words.
    const again = await invitee.newPage();
    await again.goto(mail.acceptUrl);
    await again.getByLabel('Your name', { exact: true }).fill('Ann');
    await again.getByRole('button', { name: 'Accept invite', exact: true }).click();
    await expect.poll(() => again.getByRole('alert').textContent()).toContain('not valid');
    await invitee.close();

    await page.reload();
    await page.getByRole('cell', { name: 'Ann', exact: true }).waitFor();
  });

  it('explains an expired invite link in words', async () => {
    await page.getByLabel('Emails', { exact: true }).fill('bob@example.com');
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    await page.getByRole('cell', { name: 'bob@example.com', exact: true }).waitFor();
    const mail = await lastMailTo('bob@example.com');
    await server.api('POST', '/local/clock', { token: null, body: { advanceSeconds: 8 * DAY_SECONDS } });
    const invitee = await browser.newContext();
    const acceptPage = await invitee.newPage();
    await acceptPage.goto(mail.acceptUrl);
    await acceptPage.getByLabel('Your name', { exact: true }).fill('Bob');
    await acceptPage.getByRole('button', { name: 'Accept invite', exact: true }).click();
    await expect.poll(() => acceptPage.getByRole('alert').textContent()).toContain('expired');
    await shot(acceptPage, '08-invite-expired');
    await invitee.close();
  });

  it('assigns a role, checks with the explanation, revokes, and checks again: denied', async () => {
    await go('Role assignments');
    await page.getByLabel('Role', { exact: true }).selectOption('_organization_admin');
    await page
      .getByLabel('Resource group', { exact: true })
      .selectOption('_all_resources_including_child_scopes');
    await page.getByLabel('Principal type', { exact: true }).selectOption('USER');
    await page.getByLabel('Principal', { exact: true }).fill('ann@example.com');
    await page.getByLabel('Identifier', { exact: true }).fill('ann_admin');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('cell', { name: 'ann_admin', exact: true }).waitFor();
    await shot(page, '09-role-assignments');

    expect(await checkAnn()).toBe('Permitted');
    const result = page.getByRole('region', { name: 'Result' });
    expect(await result.textContent()).toContain('_organization_admin');
    expect(await result.textContent()).toContain('_all_resources_including_child_scopes');
    expect(await result.textContent()).toContain('ann_admin');
    await shot(page, '10-access-check-permitted');

    await go('Role assignments');
    const row = page.getByRole('row').filter({ hasText: 'ann_admin' });
    await row.getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await shot(page, '11-delete-confirmation');
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('cell', { name: 'ann_admin', exact: true }).waitFor({ state: 'detached' });

    expect(await checkAnn()).toBe('Denied');
    expect(await page.getByRole('region', { name: 'Result' }).textContent()).toContain('Reason');
    await shot(page, '12-access-check-denied');
  });

  it('answers both access-review questions as tables', async () => {
    await go('Access review');
    await page.getByLabel('Principal', { exact: true }).fill('ann@example.com');
    await page.getByRole('button', { name: 'Review', exact: true }).click();
    const held = page.getByRole('table', { name: 'Permissions held here' });
    await held.waitFor();
    expect(await held.textContent()).toContain('core_organization_view');
    await shot(page, '13-access-review-permissions');

    await page.getByLabel('Who can do this on that resource').check();
    await page.getByLabel('Permission', { exact: true }).fill('core_organization_edit');
    await page.getByRole('button', { name: 'Find principals', exact: true }).click();
    const who = page.getByRole('table', { name: 'Who holds core_organization_edit' });
    await who.waitFor();
    expect(await who.textContent()).toContain('admin');
    await shot(page, '14-access-review-principals');
  });

  it('creates a service account, an API key and a token shown once with a copy button', async () => {
    await chooseScope('');
    await go('Service accounts');
    await page.getByLabel('Identifier', { exact: true }).fill('ci_bot');
    await page.getByLabel('Name', { exact: true }).fill('CI bot');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('link', { name: 'ci_bot' }).click();
    await page.getByLabel('Key identifier', { exact: true }).fill('ci_key');
    await page.getByLabel('Key name', { exact: true }).fill('CI key');
    await page.getByRole('button', { name: 'Create API key', exact: true }).click();
    await page.getByRole('cell', { name: 'ci_key', exact: true }).waitFor();
    await page.getByLabel('Token identifier', { exact: true }).fill('ci_token');
    await page.getByRole('button', { name: 'Create token', exact: true }).click();
    const secret = page.getByLabel('New token ci_token');
    await secret.waitFor();
    const raw = await secret.inputValue();
    expect(raw).toMatch(new RegExp(`^sat\\.${server.accountId}\\.`));
    await shot(page, '15-service-account-token');
    const asBot = await server.api('POST', `/authz/api/acl?accountIdentifier=${server.accountId}`, {
      token: raw,
      body: { permissions: [] },
    });
    expect(asBot.status).toBe(200);

    // The keys and tokens are listed from the API: a fresh load of the page still shows them.
    await page.reload();
    const keys = page.getByRole('table', { name: 'API keys' });
    await keys.getByRole('cell', { name: 'ci_key', exact: true }).waitFor();
    expect(await keys.textContent()).toContain('ci_token');
    expect(await keys.textContent()).not.toContain(raw);
  });

  it('lists roles and resource groups with the catalogue, and creates a custom role', async () => {
    await go('Roles');
    await page.getByLabel('Identifier', { exact: true }).fill('pipeline_runner');
    await page.getByLabel('Name', { exact: true }).fill('Pipeline runner');
    await page.getByText('Permissions (0)').click();
    await page.getByLabel('Filter permissions').fill('pipeline');
    await page.getByRole('checkbox', { name: /core_pipeline_execute/ }).check();
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Created role pipeline_runner' }).waitFor();
    await page.getByLabel('Search', { exact: true }).fill('runner');
    await page.getByRole('cell', { name: 'pipeline_runner', exact: true }).waitFor();
    expect(await page.getByRole('cell', { name: '_account_admin', exact: true }).count()).toBe(0);
    await page.getByLabel('Search', { exact: true }).fill('');
    await page.getByRole('cell', { name: '_account_admin', exact: true }).waitFor();
    await shot(page, '16-roles');
    const role = await server.api(
      'GET',
      `/authz/api/roles/pipeline_runner?accountIdentifier=${server.accountId}`,
    );
    expect((role.body.data as { role: { permissions: string[] } }).role.permissions).toEqual([
      'core_pipeline_execute',
    ]);

    await go('Resource groups');
    await page.getByRole('cell', { name: '_all_account_level_resources', exact: true }).waitFor();
    await shot(page, '17-resource-groups');
  });

  it('shows the audit trail, filtered, with the before and after of a change', async () => {
    await go('Audit trail');
    await page.getByLabel('Action', { exact: true }).selectOption('CREATE');
    await page.getByLabel('Resource type', { exact: true }).selectOption('ROLE');
    await page.getByLabel('Resource identifier', { exact: true }).fill('pipeline_runner');
    const events = page.getByRole('table', { name: 'Audit events' });
    await expect.poll(() => events.locator('tbody tr').count()).toBe(1);
    await events.getByRole('cell', { name: 'ROLE pipeline_runner' }).waitFor();
    expect(await events.textContent()).toContain('SERVICE_ACCOUNT admin');
    await page.getByRole('button', { name: 'Details of CREATE pipeline_runner' }).click();
    const after = page.getByRole('figure', { name: 'After', exact: true }).locator('pre');
    await after.waitFor();
    expect(await after.textContent()).toContain('core_pipeline_execute');
    expect(await page.getByRole('figure', { name: 'Before', exact: true }).locator('pre').textContent()).toBe(
      '(nothing)',
    );
    await shot(page, '18-audit-trail');

    await page.getByLabel('Action', { exact: true }).selectOption('DELETE');
    await events.getByText('No events match.').waitFor();
  });

  it('signs out: the token is gone and the sign-in page is back', async () => {
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByLabel('API token', { exact: true }).waitFor();
    expect(await sessionValues(page)).not.toContain(server.adminToken);
  });
});
