import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { exportFromGraphql } from '../../../migration/export/graphql-export.js';
import { parseExport } from '../../../migration/firstgen/parse-export.js';

const GROUPS = Array.from({ length: 5 }, (_, index) => ({
  id: `g${index}`,
  name: `Group ${index}`,
  users: { nodes: [{ id: `u${index}` }] },
  permissions: { accountPermissions: { accountPermissionTypes: ['VIEW_AUDITS'] }, appPermissions: [] },
}));
const APPS = [{ id: 'a1', name: 'App', environments: { nodes: [{ id: 'e1', name: 'prod', type: 'PROD' }] } }];

let server: Server;
afterEach(() => new Promise((resolve) => server.close(resolve)));

/** A stub FirstGen GraphQL endpoint that pages by limit/offset and fails every other request transiently. */
async function stub(
  requests: { apiKey?: string; accountId?: string | null; field: string }[],
): Promise<string> {
  let calls = 0;
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      calls++;
      if (calls % 2 === 1) {
        response.writeHead(calls % 4 === 1 ? 503 : 429).end('busy');
        return;
      }
      const { query, variables } = JSON.parse(body) as {
        query: string;
        variables: { limit: number; offset: number };
      };
      const field = query.includes('userGroups(')
        ? 'userGroups'
        : query.includes('applications(')
          ? 'applications'
          : 'users';
      requests.push({
        apiKey: request.headers['x-api-key'] as string,
        accountId: new URL(request.url ?? '/', 'http://x').searchParams.get('accountId'),
        field,
      });
      const all: unknown[] =
        field === 'userGroups' ? GROUPS : field === 'applications' ? APPS : [{ id: 'u0', email: 'a@b.c' }];
      const nodes = all.slice(variables.offset, variables.offset + variables.limit);
      const hasMore = variables.offset + variables.limit < all.length;
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ data: { [field]: { pageInfo: { hasMore }, nodes } } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/gateway/api/graphql`;
}

describe('migrate export against a stub GraphQL endpoint', () => {
  it('pages through every group with the API key, retries transient failures and writes a parseable export', async () => {
    // Prepare
    const requests: { apiKey?: string; accountId?: string | null; field: string }[] = [];
    const url = await stub(requests);
    // Act
    const file = await exportFromGraphql({
      url,
      apiKey: 'key-1',
      accountId: 'acc',
      pageSize: 2,
      backoffMs: 1,
    });
    // Assess
    expect(requests.filter((request) => request.field === 'userGroups')).toHaveLength(3);
    expect(requests.every((request) => request.apiKey === 'key-1' && request.accountId === 'acc')).toBe(true);
    const parsed = parseExport(file);
    expect(parsed.userGroups.map((group) => group.id)).toEqual(['g0', 'g1', 'g2', 'g3', 'g4']);
    expect(parsed.applications[0]?.environments).toEqual([
      { id: 'e1', name: 'prod', environmentType: 'PROD' },
    ]);
  });

  it('gives up after the last attempt', async () => {
    // Prepare
    const url = await stub([]);
    // Act / Assess
    await expect(
      exportFromGraphql({ url, apiKey: 'k', accountId: 'acc', maxAttempts: 1, backoffMs: 1 }),
    ).rejects.toThrow('HTTP 503');
  });
});

describe('migrate export of a group with more members than one page', () => {
  it('pages the members of a large group and keeps every one of them', async () => {
    // Prepare: one group of 2,500 members; the group query returns the first 1,000 with hasMore.
    const members = Array.from({ length: 2_500 }, (_, index) => ({ id: `m${index}` }));
    const memberQueries: number[] = [];
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        const { query, variables } = JSON.parse(body) as {
          query: string;
          variables: { limit: number; offset: number; userGroupId?: string };
        };
        const page = (from: number, size: number) => ({
          pageInfo: { hasMore: from + size < members.length, total: members.length },
          nodes: members.slice(from, from + size),
        });
        let data: unknown;
        if (query.includes('userGroup(')) {
          memberQueries.push(variables.offset);
          data = { userGroup: { users: page(variables.offset, variables.limit) } };
        } else if (query.includes('userGroups(')) {
          const group = {
            id: 'big',
            name: 'Big Group',
            users: page(0, 1_000),
            permissions: { accountPermissions: { accountPermissionTypes: [] }, appPermissions: [] },
          };
          data = {
            userGroups: { pageInfo: { hasMore: false }, nodes: variables.offset === 0 ? [group] : [] },
          };
        } else if (query.includes('applications(')) {
          data = { applications: { pageInfo: { hasMore: false }, nodes: [] } };
        } else {
          data = {
            users: {
              pageInfo: { hasMore: false },
              nodes: members.map((m) => ({ ...m, email: `${m.id}@x.io` })),
            },
          };
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/gateway/api/graphql`;
    // Act
    const file = await exportFromGraphql({ url, apiKey: 'key', accountId: 'acc', backoffMs: 1 });
    // Assess
    expect(memberQueries).toEqual([0, 1_000, 2_000]);
    const parsed = parseExport(file);
    expect(parsed.userGroups[0]?.memberIds).toHaveLength(2_500);
    expect(new Set(parsed.userGroups[0]?.memberIds).size).toBe(2_500);
  });
});
