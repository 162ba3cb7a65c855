import { useEffect, useState } from 'react';
import type { OrganizationResponse } from '../api/client';
import { ListSection } from '../components/list-section';
import {
  ConfirmDelete,
  DataTable,
  FormPanel,
  Notice,
  PageHeading,
  SelectField,
  TextField,
} from '../components/ui';
import { useAction } from '../components/use-action';
import { useList } from '../components/use-list';
import { useConsole } from '../context';

const FIELDS = [
  'project.orgIdentifier',
  'project.identifier',
  'project.name',
  'project.description',
  'orgIdentifier',
];

/** Projects of the chosen organization (or of every organization at the account): list, create, delete. */
export function ProjectsPage() {
  const { client, session, scope, scopesChanged } = useConsole();
  const account = session.accountIdentifier;
  const list = useList(
    (query) => client.listProjects(account, scope.orgIdentifier, query),
    `${account}/${scope.orgIdentifier ?? ''}`,
  );
  const [organizations, setOrganizations] = useState<OrganizationResponse[]>([]);
  useEffect(() => {
    client
      .listOrganizations(account, { pageSize: 100 })
      .then((page) => setOrganizations(page.content))
      .catch(() => setOrganizations([]));
  }, [client, account]);
  const { errors, run } = useAction(FIELDS);
  const [orgIdentifier, setOrgIdentifier] = useState(scope.orgIdentifier ?? '');
  const [identifier, setIdentifier] = useState('');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [notice, setNotice] = useState<string>();
  const chosenOrg = orgIdentifier || organizations[0]?.organization.identifier || 'default';
  const create = () =>
    run(async () => {
      await client.createProject(account, {
        orgIdentifier: chosenOrg,
        identifier: identifier.trim(),
        name: name.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
      });
      setNotice(`Created project ${chosenOrg}/${identifier.trim()}.`);
      setIdentifier('');
      setName('');
      setDescription('');
      list.reload();
      scopesChanged();
    }).then(() => undefined);
  return (
    <>
      <PageHeading>Projects</PageHeading>
      <Notice text={notice} />
      <ListSection
        title={
          scope.orgIdentifier
            ? `Projects of organization ${scope.orgIdentifier}`
            : 'Projects of every organization'
        }
        list={list}
      >
        {(rows) => (
          <DataTable
            caption="Projects"
            rows={rows}
            rowKey={(row) => `${row.project.orgIdentifier}/${row.project.identifier}`}
            columns={[
              { header: 'Organization', cell: (row) => <code>{row.project.orgIdentifier}</code> },
              { header: 'Identifier', cell: (row) => <code>{row.project.identifier}</code> },
              { header: 'Name', cell: (row) => row.project.name },
              { header: 'Description', cell: (row) => row.project.description },
              {
                header: 'Actions',
                cell: (row) => (
                  <ConfirmDelete
                    what={`project ${row.project.orgIdentifier}/${row.project.identifier}`}
                    consequence="Everything in it goes too."
                    onConfirm={async () => {
                      await client.deleteProject(account, row.project.orgIdentifier, row.project.identifier);
                      setNotice(`Deleted project ${row.project.identifier}.`);
                      list.reload();
                      scopesChanged();
                    }}
                  />
                ),
              },
            ]}
          />
        )}
      </ListSection>
      <FormPanel title="Create a project" submitLabel="Create" onSubmit={create} errors={errors}>
        <SelectField
          label="Organization"
          value={chosenOrg}
          onChange={setOrgIdentifier}
          options={organizations.map(({ organization }) => ({
            value: organization.identifier,
            label: `${organization.name} (${organization.identifier})`,
          }))}
          error={errors.byField['project.orgIdentifier'] ?? errors.byField.orgIdentifier}
        />
        <TextField
          label="Identifier"
          value={identifier}
          onChange={setIdentifier}
          error={errors.byField['project.identifier']}
          required
        />
        <TextField
          label="Name"
          value={name}
          onChange={setName}
          error={errors.byField['project.name']}
          required
        />
        <TextField
          label="Description"
          value={description}
          onChange={setDescription}
          error={errors.byField['project.description']}
        />
      </FormPanel>
    </>
  );
}
