#!/usr/bin/env -S node --import tsx
import { writeFile } from 'node:fs/promises';
import type { ManagementContext } from '../functions/api/management/management-context.js';
import { openApiDocument } from '../functions/api/openapi/openapi-document.js';
import { apiRoutes } from '../functions/api/routes.js';

/**
 * `npm run openapi`: writes `docs/openapi.json` from the route table. Building the routes only binds
 * handlers, it never calls them, so no table or cache is needed.
 */
const notServing = {} as ManagementContext;
const document = openApiDocument(apiRoutes(notServing));
await writeFile('docs/openapi.json', `${JSON.stringify(document, null, 2)}\n`);
process.stdout.write(`wrote docs/openapi.json (${Object.keys(document.paths).length} paths)\n`);
