import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  conforms,
  OrganizationAggregate,
  PageOf,
  ProjectAggregate,
  ResponseDto,
} from '../support/harness/harness-dtos.js';
import { serviceAccountWith } from '../support/service-account-with.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Harness's scope aggregates (`GET /ng/api/aggregate/projects|organizations`, the UI's project
 * selector and details pages), each answer checked against the DTO harness-core declares.
 */
describe('scope aggregates as the Harness UI reads them', () => {
  let server: TestServer;
  let q: string;
  const users: Record<string, { userId: string; token: string }> = {};

  async function join(email: string, name: string, roleBindings: unknown[]): Promise<void> {
    const invited = await server.api(
      'POST',
      `/ng/api/user/users?${q}&orgIdentifier=eng&projectIdentifier=web`,
      {
        body: { emails: [email], roleBindings },
      },
    );
    expect(invited.status).toBe(200);
    const mail = (await server.api('GET', '/local/mail', { token: null })).body as unknown as {
      to: string;
      token: string;
    }[];
    const message = mail.filter((entry) => entry.to === email).at(-1);
    const accepted = await server.api('POST', '/ng/api/invites/accept', {
      token: null,
      body: { token: message?.token, name },
    });
    expect(accepted.status).toBe(200);
    users[name] = accepted.body.data as { userId: string; token: string };
  }

  beforeAll(async () => {
    // Prepare: org eng with project web; Ann administers web, Bob only works in it.
    server = await startTestServer();
    q = `accountIdentifier=${server.accountId}`;
    expect(
      (
        await server.api('POST', `/ng/api/organizations?${q}`, {
          body: { organization: { identifier: 'eng', name: 'Engineering' } },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await server.api('POST', `/ng/api/projects?${q}&orgIdentifier=eng`, {
          body: {
            project: {
              orgIdentifier: 'eng',
              identifier: 'web',
              name: 'Web',
              color: '#0063F7',
              modules: ['CD'],
            },
          },
        })
      ).status,
    ).toBe(200);
    await join('ann@example.com', 'Ann', [
      { roleIdentifier: '_project_admin', resourceGroupIdentifier: '_all_project_level_resources' },
    ]);
    await join('bob@example.com', 'Bob', []);
  });

  afterAll(async () => {
    await server.close();
  });

  it('lists project aggregates with the project, its organization, admins and collaborators', async () => {
    // Act
    const listed = await server.api('GET', `/ng/api/aggregate/projects?${q}&orgIdentifier=eng&pageSize=10`);
    const read = await server.api('GET', `/ng/api/aggregate/projects/web?${q}&orgIdentifier=eng`);
    // Assess
    const page = conforms(ResponseDto(PageOf(ProjectAggregate)), listed.body).data;
    expect(page.content).toHaveLength(1);
    const [web] = page.content ?? [];
    expect(web).toMatchObject({
      projectResponse: {
        project: { identifier: 'web', color: '#0063F7', modules: ['CD'] },
        isFavorite: false,
      },
      organization: { identifier: 'eng', name: 'Engineering' },
      harnessManagedOrg: false,
    });
    expect(web?.admins?.map((user) => user.email)).toEqual(['ann@example.com']);
    expect(web?.collaborators?.map((user) => user.email)).toEqual(['bob@example.com']);
    expect(conforms(ResponseDto(ProjectAggregate), read.body).data).toEqual(web);
  });

  it('lists organization aggregates with their project counts', async () => {
    // Act
    const listed = await server.api('GET', `/ng/api/aggregate/organizations?${q}&searchTerm=eng`);
    const read = await server.api('GET', `/ng/api/aggregate/organizations/default?${q}`);
    // Assess
    const page = conforms(ResponseDto(PageOf(OrganizationAggregate)), listed.body).data;
    expect(
      page.content?.map((entry) => [entry.organizationResponse.organization.identifier, entry.projectsCount]),
    ).toEqual([['eng', 1]]);
    expect(page.content?.[0]?.collaborators?.map((user) => user.email).sort()).toEqual([
      'ann@example.com',
      'bob@example.com',
    ]);
    const defaultOrg = conforms(ResponseDto(OrganizationAggregate), read.body).data;
    expect(defaultOrg.organizationResponse.harnessManaged).toBe(true);
  });

  it('shows people only to a caller who may view users there, and scopes only to one who may view them', async () => {
    // Prepare: a service account that may view organizations and projects, not users
    const viewer = await serviceAccountWith(
      server,
      'scope_viewer',
      ['core_organization_view', 'core_project_view'],
      '_all_resources_including_child_scopes',
    );
    const blind = await serviceAccountWith(server, 'user_viewer', ['core_user_view']);
    // Act
    const asViewer = await server.api('GET', `/ng/api/aggregate/projects/web?${q}&orgIdentifier=eng`, {
      token: viewer,
    });
    const asAnn = await server.api('GET', `/ng/api/aggregate/projects/web?${q}&orgIdentifier=eng`, {
      token: users.Ann?.token,
    });
    const listedBlind = await server.api('GET', `/ng/api/aggregate/projects?${q}`, { token: blind });
    const readBlind = await server.api('GET', `/ng/api/aggregate/projects/web?${q}&orgIdentifier=eng`, {
      token: blind,
    });
    const unknown = await server.api('GET', `/ng/api/aggregate/projects/nope?${q}&orgIdentifier=eng`);
    const withoutOrg = await server.api('GET', `/ng/api/aggregate/projects/web?${q}`);
    // Assess
    const seenByAnn = conforms(ResponseDto(ProjectAggregate), asAnn.body).data;
    expect(seenByAnn.admins?.map((user) => user.email)).toEqual(['ann@example.com']);
    const seenByViewer = conforms(ResponseDto(ProjectAggregate), asViewer.body).data;
    expect(seenByViewer.projectResponse.project.identifier).toBe('web');
    expect(seenByViewer.admins).toEqual([]);
    expect(seenByViewer.collaborators).toEqual([]);
    expect(conforms(ResponseDto(PageOf(ProjectAggregate)), listedBlind.body).data.content).toEqual([]);
    expect(readBlind.status).toBe(403);
    expect(unknown.status).toBe(404);
    expect(withoutOrg.status).toBe(400);
    expect(JSON.stringify(withoutOrg.body)).toContain('orgIdentifier');
  });
});
