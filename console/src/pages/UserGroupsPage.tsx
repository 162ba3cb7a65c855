import { useCallback, useEffect, useState } from 'react';
import type { User, UserGroup } from '../api/client';
import { ListSection } from '../components/list-section';
import { ConfirmDelete, DataTable, FormPanel, Notice, PageHeading, TextField } from '../components/ui';
import { messageOf, useAction } from '../components/use-action';
import { useList } from '../components/use-list';
import { describeScope, useConsole } from '../context';
import { Link } from '../router';

const FIELDS = ['identifier', 'name', 'description', 'users'];

/** User groups of the chosen scope: list, search, create, delete; each links to its members. */
export function UserGroupsPage() {
  const { client, scope } = useConsole();
  const list = useList((query) => client.listUserGroups(scope, query), JSON.stringify(scope));
  const { errors, run } = useAction(FIELDS);
  const [identifier, setIdentifier] = useState('');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [notice, setNotice] = useState<string>();
  const create = () =>
    run(async () => {
      await client.createUserGroup(scope, {
        identifier: identifier.trim(),
        name: name.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
      });
      setNotice(`Created user group ${identifier.trim()}.`);
      setIdentifier('');
      setName('');
      setDescription('');
      list.reload();
    }).then(() => undefined);
  return (
    <>
      <PageHeading>User groups</PageHeading>
      <p className="muted">Groups of the {describeScope(scope)}.</p>
      <Notice text={notice} />
      <ListSection title="User groups of this scope" list={list}>
        {(rows) => (
          <DataTable
            caption="User groups"
            rows={rows}
            rowKey={(row) => row.identifier}
            columns={[
              {
                header: 'Identifier',
                cell: (row) => (
                  <Link to={`/user-groups/${encodeURIComponent(row.identifier)}`}>
                    <code>{row.identifier}</code>
                  </Link>
                ),
              },
              { header: 'Name', cell: (row) => row.name },
              { header: 'Members', cell: (row) => row.users.length },
              {
                header: 'Actions',
                cell: (row) =>
                  row.harnessManaged ? (
                    <span className="muted">managed</span>
                  ) : (
                    <ConfirmDelete
                      what={`user group ${row.identifier}`}
                      consequence="Its role assignments are deleted too."
                      onConfirm={async () => {
                        await client.deleteUserGroup(scope, row.identifier);
                        setNotice(`Deleted user group ${row.identifier}.`);
                        list.reload();
                      }}
                    />
                  ),
              },
            ]}
          />
        )}
      </ListSection>
      <FormPanel title="Create a user group" submitLabel="Create" onSubmit={create} errors={errors}>
        <TextField
          label="Identifier"
          value={identifier}
          onChange={setIdentifier}
          error={errors.byField.identifier}
          required
        />
        <TextField label="Name" value={name} onChange={setName} error={errors.byField.name} required />
        <TextField
          label="Description"
          value={description}
          onChange={setDescription}
          error={errors.byField.description}
        />
      </FormPanel>
    </>
  );
}

/** One user group: its members, add and remove. */
export function UserGroupPage({ identifier }: { identifier: string }) {
  const { client, scope } = useConsole();
  const [group, setGroup] = useState<UserGroup>();
  const [members, setMembers] = useState<User[]>([]);
  const [loadError, setLoadError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const { errors, run } = useAction(['userId']);
  const [user, setUser] = useState('');
  const load = useCallback(async () => {
    try {
      const [loaded, scopeUsers] = await Promise.all([
        client.getUserGroup(scope, identifier),
        client.listUsers(scope, { pageSize: 100 }).catch(() => undefined),
      ]);
      setGroup(loaded);
      const known = new Map((scopeUsers?.content ?? []).map((member) => [member.userId, member]));
      setMembers(loaded.users.map((userId) => known.get(userId) ?? { userId, status: 'ACTIVE' }));
      setLoadError(undefined);
    } catch (error) {
      setLoadError(messageOf(error));
    }
  }, [client, scope, identifier]);
  useEffect(() => {
    void load();
  }, [load]);
  const add = () =>
    run(async () => {
      let userId = user.trim();
      if (userId.includes('@')) {
        const found = await client.listUsers(scope, { searchTerm: userId, pageSize: 10 });
        const match = found.content.find(
          (candidate) => candidate.email?.toLowerCase() === userId.toLowerCase(),
        );
        if (!match) throw new Error(`No member of the ${describeScope(scope)} has the e-mail ${userId}.`);
        userId = match.userId;
      }
      await client.addGroupMember(scope, identifier, userId);
      setNotice(`Added ${user.trim()}.`);
      setUser('');
      await load();
    }).then(() => undefined);
  return (
    <>
      <PageHeading>User group {identifier}</PageHeading>
      <p>
        <Link to="/user-groups">Back to the user groups</Link>
      </p>
      <Notice text={notice} />
      {loadError ? (
        <p className="form-errors" role="alert">
          {loadError}
        </p>
      ) : null}
      {group ? (
        <section className="panel" aria-label="Members">
          <h2>Members of {group.name}</h2>
          <DataTable
            caption="Members"
            rows={members}
            rowKey={(row) => row.userId}
            empty="No members."
            columns={[
              { header: 'Name', cell: (row) => row.name ?? '—' },
              { header: 'E-mail', cell: (row) => row.email ?? '—' },
              { header: 'User id', cell: (row) => <code>{row.userId}</code> },
              {
                header: 'Actions',
                cell: (row) =>
                  group.harnessManaged ? (
                    <span className="muted">derived from membership</span>
                  ) : (
                    <ConfirmDelete
                      label="Remove"
                      what={`${row.email ?? row.userId} from ${group.identifier}`}
                      onConfirm={async () => {
                        await client.removeGroupMember(scope, identifier, row.userId);
                        setNotice(`Removed ${row.email ?? row.userId}.`);
                        await load();
                      }}
                    />
                  ),
              },
            ]}
          />
        </section>
      ) : null}
      {group && !group.harnessManaged ? (
        <FormPanel title="Add a member" submitLabel="Add member" onSubmit={add} errors={errors}>
          <TextField
            label="User"
            value={user}
            onChange={setUser}
            hint="The user id or e-mail of a member of this scope."
            error={errors.byField.userId}
            required
          />
        </FormPanel>
      ) : null}
    </>
  );
}
