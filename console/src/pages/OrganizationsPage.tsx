import { useState } from 'react';
import { ListSection } from '../components/list-section';
import { ConfirmDelete, DataTable, FormPanel, Notice, PageHeading, TextField } from '../components/ui';
import { useAction } from '../components/use-action';
import { useList } from '../components/use-list';
import { useConsole } from '../context';

const FIELDS = ['organization.identifier', 'organization.name', 'organization.description'];

/** Organizations of the account: list, search, create, delete. */
export function OrganizationsPage() {
  const { client, session, scopesChanged } = useConsole();
  const account = session.accountIdentifier;
  const list = useList((query) => client.listOrganizations(account, query), account);
  const { errors, run } = useAction(FIELDS);
  const [identifier, setIdentifier] = useState('');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [notice, setNotice] = useState<string>();
  const create = () =>
    run(async () => {
      await client.createOrganization(account, {
        identifier: identifier.trim(),
        name: name.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
      });
      setNotice(`Created organization ${identifier.trim()}.`);
      setIdentifier('');
      setName('');
      setDescription('');
      list.reload();
      scopesChanged();
    }).then(() => undefined);
  return (
    <>
      <PageHeading>Organizations</PageHeading>
      <Notice text={notice} />
      <ListSection title="Organizations of the account" list={list}>
        {(rows) => (
          <DataTable
            caption="Organizations"
            rows={rows}
            rowKey={(row) => row.organization.identifier}
            columns={[
              { header: 'Identifier', cell: (row) => <code>{row.organization.identifier}</code> },
              { header: 'Name', cell: (row) => row.organization.name },
              { header: 'Description', cell: (row) => row.organization.description },
              {
                header: 'Actions',
                cell: (row) =>
                  row.harnessManaged ? (
                    <span className="muted">managed</span>
                  ) : (
                    <ConfirmDelete
                      what={`organization ${row.organization.identifier}`}
                      consequence="Everything in it goes too: projects, roles, resource groups, groups, service accounts and assignments."
                      onConfirm={async () => {
                        await client.deleteOrganization(account, row.organization.identifier);
                        setNotice(`Deleted organization ${row.organization.identifier}.`);
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
      <FormPanel title="Create an organization" submitLabel="Create" onSubmit={create} errors={errors}>
        <TextField
          label="Identifier"
          value={identifier}
          onChange={setIdentifier}
          error={errors.byField['organization.identifier']}
          required
        />
        <TextField
          label="Name"
          value={name}
          onChange={setName}
          error={errors.byField['organization.name']}
          required
        />
        <TextField
          label="Description"
          value={description}
          onChange={setDescription}
          error={errors.byField['organization.description']}
        />
      </FormPanel>
    </>
  );
}
