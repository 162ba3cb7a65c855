import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consoleAnswer,
  consoleFilePath,
  consoleSettingsFor,
  contentTypeOf,
  isConsolePath,
} from '../../../../functions/api/console/console-assets.js';

let root: string;
let outside: string;

beforeAll(async () => {
  const base = await mkdtemp(join(tmpdir(), 'console-assets-'));
  root = join(base, 'dist');
  outside = base;
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), '<!doctype html><title>console</title>');
  await writeFile(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  await writeFile(join(root, 'assets', 'index-abc.css'), 'body{}');
  await writeFile(join(root, 'assets', 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]));
  await writeFile(join(outside, 'secret.txt'), 'top secret');
});

afterAll(async () => {
  await rm(outside, { recursive: true, force: true });
});

describe('consoleFilePath', () => {
  it.each([
    ['/console/', ''],
    ['/console/assets/index-abc.js', 'assets/index-abc.js'],
    ['/console/roles/my%20role', 'roles/my role'],
    ['/console/users/', 'users'],
  ])('maps %s to %j', (path, expected) => {
    expect(consoleFilePath(path)).toBe(expected);
  });

  it.each([
    '/console/../secret.txt',
    '/console/assets/../../secret.txt',
    '/console/%2e%2e/secret.txt',
    '/console/..%2fsecret.txt',
    '/console/assets/..%5c..%5csecret.txt',
    '/console/a%00b',
    '/console/a//b',
    '/console/%E0%A4%A',
  ])('refuses %s', (path) => {
    expect(consoleFilePath(path)).toBeUndefined();
  });
});

describe('consoleAnswer', () => {
  it('serves index.html at the root and for client routes, never cached stale', async () => {
    for (const path of [
      '/console/',
      '/console/organizations',
      '/console/roles/_account_admin',
      '/console/invite',
    ]) {
      const answer = await consoleAnswer(root, 'GET', path);
      expect(answer.statusCode, path).toBe(200);
      expect(answer.headers?.['content-type']).toBe('text/html; charset=utf-8');
      expect(answer.headers?.['cache-control']).toBe('no-cache');
      expect(answer.body).toContain('<title>console</title>');
    }
  });

  it('serves built files with their content types, hashed assets cached for a year', async () => {
    const script = await consoleAnswer(root, 'GET', '/console/assets/index-abc.js');
    expect(script).toMatchObject({ statusCode: 200, body: 'console.log(1)' });
    expect(script.headers?.['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers?.['cache-control']).toContain('immutable');
    const style = await consoleAnswer(root, 'GET', '/console/assets/index-abc.css');
    expect(style.headers?.['content-type']).toBe('text/css; charset=utf-8');
    const image = await consoleAnswer(root, 'GET', '/console/assets/logo.png');
    expect(image.isBase64Encoded).toBe(true);
    expect(Buffer.from(image.body ?? '', 'base64')).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]),
    );
    expect(image.headers?.['x-content-type-options']).toBe('nosniff');
    expect(String(image.headers?.['content-security-policy'])).toContain("frame-ancestors 'none'");
  });

  it('answers 404 for a missing file, and never reads outside the build', async () => {
    expect((await consoleAnswer(root, 'GET', '/console/assets/missing.js')).statusCode).toBe(404);
    for (const path of ['/console/../secret.txt', '/console/%2e%2e/secret.txt', '/console/..%2fsecret.txt']) {
      const answer = await consoleAnswer(root, 'GET', path);
      expect(answer.statusCode, path).toBe(404);
      expect(answer.body).not.toContain('top secret');
    }
  });

  it('redirects /console to /console/, answers HEAD without a body and refuses other methods', async () => {
    const redirect = await consoleAnswer(root, 'GET', '/console');
    expect(redirect.statusCode).toBe(308);
    expect(redirect.headers?.location).toBe('/console/');
    const head = await consoleAnswer(root, 'HEAD', '/console/assets/index-abc.js');
    expect(head).toMatchObject({ statusCode: 200, body: '' });
    const post = await consoleAnswer(root, 'POST', '/console/');
    expect(post.statusCode).toBe(405);
    expect(post.headers?.allow).toBe('GET, HEAD');
  });

  it('answers the deployment settings at config.json, and lets the page reach the OIDC issuer only when it is on', async () => {
    // Act
    const off = await consoleAnswer(root, 'GET', '/console/config.json');
    const on = await consoleAnswer(
      root,
      'GET',
      '/console/config.json',
      consoleSettingsFor({ issuer: 'https://login.example.com/tenant/', audience: 'rbac-console' }),
    );
    // Assess
    expect(JSON.parse(String(off.body))).toEqual({ oidc: null });
    expect(off.headers?.['content-security-policy']).toContain("connect-src 'self';");
    expect(JSON.parse(String(on.body))).toEqual({
      oidc: { issuer: 'https://login.example.com/tenant/', clientId: 'rbac-console' },
    });
    expect(on.headers?.['content-type']).toBe('application/json; charset=utf-8');
    expect(on.headers?.['cache-control']).toBe('no-cache');
    expect(on.headers?.['content-security-policy']).toContain(
      "connect-src 'self' https://login.example.com;",
    );
  });

  it('says how to build the console when there is no build', async () => {
    const answer = await consoleAnswer(join(outside, 'nothing'), 'GET', '/console/');
    expect(answer.statusCode).toBe(503);
    expect(answer.body).toContain('npm run build:console');
  });
});

describe('isConsolePath and contentTypeOf', () => {
  it('claims /console and below only', () => {
    expect(isConsolePath('/console')).toBe(true);
    expect(isConsolePath('/console/x')).toBe(true);
    expect(isConsolePath('/consoles')).toBe(false);
    expect(isConsolePath('/ng/api/console')).toBe(false);
  });

  it('knows the types Vite writes and falls back to octet-stream', () => {
    expect(contentTypeOf('a.svg')).toBe('image/svg+xml');
    expect(contentTypeOf('a.woff2')).toBe('font/woff2');
    expect(contentTypeOf('a.unknown')).toBe('application/octet-stream');
  });
});
