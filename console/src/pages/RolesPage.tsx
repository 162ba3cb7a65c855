import { useCallback, useEffect, useState } from 'react';
import type { RoleResponse } from '../api/client';
import { ListSection } from '../components/list-section';
import { PermissionPicker } from '../components/permission-picker';
import { ConfirmDelete, DataTable, FormPanel, Notice, PageHeading, TextField } from '../components/ui';
import { messageOf, useAction } from '../components/use-action';
import { useList } from '../components/use-list';
import { describeScope, levelOf, useConsole } from '../context';
import { Link, navigate } from '../router';

const FIELDS = ['identifier', 'name', 'description', 'permissions', 'allowedScopeLevels'];

/** Roles usable at the chosen scope (managed ones read-only): list, search, create, delete. */
export function RolesPage() {
  const { client, scope } = useConsole();
  const list = useList((query) => client.listRoles(scope, query), JSON.stringify(scope));
  const { errors, run } = useAction(FIELDS);
  const [identifier, setIdentifier] = useState('');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [permissions, setPermissions] = useState<string[]>([]);
  const [notice, setNotice] = useState<string>();
  const create = () =>
    run(async () => {
      await client.createRole(scope, {
        identifier: identifier.trim(),
        name: name.trim(),
        permissions,
        ...(description.trim() ? { description: description.trim() } : {}),
      });
      setNotice(`Created role ${identifier.trim()}.`);
      setIdentifier('');
      setName('');
      setDescription('');
      setPermissions([]);
      list.reload();
    }).then(() => undefined);
  return (
    <>
      <PageHeading>Roles</PageHeading>
      <p className="muted">Roles usable at the {describeScope(scope)}.</p>
      <Notice text={notice} />
      <ListSection title="Roles at this scope" list={list}>
        {(rows) => (
          <DataTable
            caption="Roles"
            rows={rows}
            rowKey={(row) => row.role.identifier}
            columns={[
              {
                header: 'Identifier',
                cell: (row) => (
                  <Link to={`/roles/${encodeURIComponent(row.role.identifier)}`}>
                    <code>{row.role.identifier}</code>
                  </Link>
                ),
              },
              { header: 'Name', cell: (row) => row.role.name },
              { header: 'Permissions', cell: (row) => row.role.permissions.length },
              { header: 'Kind', cell: (row) => (row.harnessManaged ? 'managed' : 'custom') },
              {
                header: 'Actions',
                cell: (row) =>
                  row.harnessManaged ? (
                    <span className="muted">read-only</span>
                  ) : (
                    <ConfirmDelete
                      what={`role ${row.role.identifier}`}
                      consequence="Its role assignments at this scope are deleted too."
                      onConfirm={async () => {
                        await client.deleteRole(scope, row.role.identifier);
                        setNotice(`Deleted role ${row.role.identifier}.`);
                        list.reload();
                      }}
                    />
                  ),
              },
            ]}
          />
        )}
      </ListSection>
      <FormPanel title="Create a role" submitLabel="Create" onSubmit={create} errors={errors}>
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
        <details open={permissions.length > 0 || errors.byField.permissions !== undefined}>
          <summary>Permissions ({permissions.length})</summary>
          <PermissionPicker
            level={levelOf(scope)}
            selected={permissions}
            onChange={setPermissions}
            error={errors.byField.permissions}
          />
        </details>
      </FormPanel>
    </>
  );
}

/** One role: a managed role read-only, a custom role edited with the permission catalogue. */
export function RolePage({ identifier }: { identifier: string }) {
  const { client, scope } = useConsole();
  const [role, setRole] = useState<RoleResponse>();
  const [loadError, setLoadError] = useState<string>();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [permissions, setPermissions] = useState<string[]>([]);
  const [notice, setNotice] = useState<string>();
  const { errors, run } = useAction(FIELDS);
  const load = useCallback(async () => {
    try {
      const loaded = await client.getRole(scope, identifier);
      setRole(loaded);
      setName(loaded.role.name);
      setDescription(loaded.role.description ?? '');
      setPermissions(loaded.role.permissions);
      setLoadError(undefined);
    } catch (error) {
      setLoadError(messageOf(error));
    }
  }, [client, scope, identifier]);
  useEffect(() => {
    void load();
  }, [load]);
  const save = () =>
    run(async () => {
      if (!role) return;
      await client.updateRole(scope, {
        identifier,
        name: name.trim(),
        permissions,
        ...(role.role.allowedScopeLevels ? { allowedScopeLevels: role.role.allowedScopeLevels } : {}),
        ...(description.trim() ? { description: description.trim() } : {}),
      });
      setNotice(`Saved role ${identifier}.`);
      await load();
    }).then(() => undefined);
  return (
    <>
      <PageHeading>Role {identifier}</PageHeading>
      <p>
        <Link to="/roles">Back to the roles</Link>
      </p>
      <Notice text={notice} />
      {loadError ? (
        <p className="form-errors" role="alert">
          {loadError}
        </p>
      ) : null}
      {role?.harnessManaged ? (
        <section className="panel" aria-label="Managed role">
          <h2>{role.role.name}</h2>
          <p>
            A managed role: it cannot be changed or deleted. Its {role.role.permissions.length} permissions:
          </p>
          <PermissionPicker level={levelOf(scope)} selected={role.role.permissions} />
        </section>
      ) : null}
      {role && !role.harnessManaged ? (
        <>
          <FormPanel title="Edit the role" submitLabel="Save" onSubmit={save} errors={errors}>
            <TextField label="Name" value={name} onChange={setName} error={errors.byField.name} required />
            <TextField
              label="Description"
              value={description}
              onChange={setDescription}
              error={errors.byField.description}
            />
            <PermissionPicker
              level={levelOf(scope)}
              selected={permissions}
              onChange={setPermissions}
              error={errors.byField.permissions}
            />
          </FormPanel>
          <ConfirmDelete
            what={`role ${identifier}`}
            consequence="Its role assignments at this scope are deleted too."
            onConfirm={async () => {
              await client.deleteRole(scope, identifier);
              navigate('/roles');
            }}
          />
        </>
      ) : null}
    </>
  );
}
