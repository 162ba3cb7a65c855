import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('GET /openapi.json', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server.close();
  });

  it('serves the checked-in OpenAPI 3.1 document without authentication', async () => {
    // Act
    const answer = await server.api('GET', '/openapi.json', { token: null });
    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(JSON.parse(readFileSync('docs/openapi.json', 'utf8')));
  });
});
