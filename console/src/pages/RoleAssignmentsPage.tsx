import { useEffect, useState } from 'react';
import { ApiError, type PrincipalType, type RoleAssignmentResponse } from '../api/client';
import { ListSection } from '../components/list-section';
import { resolveUserId } from '../components/resolve-user';
import {
  ConfirmDelete,
  DataTable,
  FormPanel,
  Notice,
  PageHeading,
  SelectField,
  TextField,
} from '../components/ui';
import { messageOf, useAction } from '../components/use-action';
import { useRoleAndGroupChoices } from '../components/use-choices';
import { useList } from '../components/use-list';
import { describeScope, levelOf, useConsole } from '../context';

const FIELDS = [
  'identifier',
  'roleIdentifier',
  'resourceGroupIdentifier',
  'principal.type',
  'principal.identifier',
  'principal.scopeLevel',
  'principal',
];

const PRINCIPAL_TYPES = [
  { value: 'USER', label: 'User' },
  { value: 'USER_GROUP', label: 'User group' },
  { value: 'SERVICE_ACCOUNT', label: 'Service account' },
];

const LEVELS = ['account', 'organization', 'project'] as const;

/** Role assignments at the chosen scope: list, search, create, disable or enable, delete. */
export function RoleAssignmentsPage() {
  const { client, scope } = useConsole();
  const list = useList((query) => client.listRoleAssignments(scope, query), JSON.stringify(scope));
  const { roles, resourceGroups } = useRoleAndGroupChoices();
  const { errors, run } = useAction(FIELDS);
  const [emails, setEmails] = useState<Map<string, string>>(new Map());
  const [identifier, setIdentifier] = useState('');
  const [roleIdentifier, setRoleIdentifier] = useState('');
  const [resourceGroupIdentifier, setResourceGroupIdentifier] = useState('');
  const [principalType, setPrincipalType] = useState<PrincipalType>('USER');
  const [principal, setPrincipal] = useState('');
  const [scopeLevel, setScopeLevel] = useState('');
  const [filter, setFilter] = useState('');
  const [notice, setNotice] = useState<string>();
  useEffect(() => {
    client
      .listUsers(scope, { pageSize: 100 })
      .then((page) =>
        setEmails(new Map(page.content.map((user) => [user.userId, user.email ?? user.userId]))),
      )
      .catch(() => undefined);
  }, [client, scope]);
  const level = levelOf(scope);
  const levels = LEVELS.slice(0, LEVELS.indexOf(level) + 1);
  const create = () =>
    run(async () => {
      let principalIdentifier = principal.trim();
      if (principalType === 'USER') {
        try {
          principalIdentifier = await resolveUserId(client, scope, principalIdentifier);
        } catch (error) {
          throw new ApiError(400, 'INVALID_REQUEST', messageOf(error), [
            { fieldId: 'principal.identifier', error: messageOf(error) },
          ]);
        }
      }
      const created = await client.createRoleAssignment(scope, {
        ...(identifier.trim() ? { identifier: identifier.trim() } : {}),
        roleIdentifier,
        resourceGroupIdentifier,
        principal: {
          identifier: principalIdentifier,
          type: principalType,
          ...(scopeLevel ? { scopeLevel } : {}),
        },
      });
      setNotice(`Created role assignment ${created.roleAssignment.identifier}.`);
      setIdentifier('');
      setPrincipal('');
      list.reload();
    }).then(() => undefined);
  const principalLabel = (row: RoleAssignmentResponse) => {
    const { principal: who } = row.roleAssignment;
    const type = PRINCIPAL_TYPES.find((candidate) => candidate.value === who.type)?.label ?? who.type;
    return `${type} ${who.type === 'USER' ? (emails.get(who.identifier) ?? who.identifier) : who.identifier}`;
  };
  const term = filter.trim().toLowerCase();
  return (
    <>
      <PageHeading>Role assignments</PageHeading>
      <p className="muted">Role assignments at the {describeScope(scope)}.</p>
      <Notice text={notice} />
      <ListSection title="Role assignments at this scope" list={list} searchable={false}>
        {(rows) => (
          <>
            <div className="field inline">
              <label htmlFor="assignment-filter">Search</label>
              <input
                id="assignment-filter"
                type="search"
                value={filter}
                onChange={(event) => setFilter(event.target.value)}
              />
            </div>
            <DataTable
              caption="Role assignments"
              rows={rows.filter(
                (row) =>
                  term === '' ||
                  [
                    row.roleAssignment.identifier,
                    row.roleAssignment.roleIdentifier,
                    row.roleAssignment.resourceGroupIdentifier,
                    principalLabel(row),
                  ].some((text) => text.toLowerCase().includes(term)),
              )}
              rowKey={(row) => row.roleAssignment.identifier}
              columns={[
                { header: 'Identifier', cell: (row) => <code>{row.roleAssignment.identifier}</code> },
                { header: 'Principal', cell: principalLabel },
                { header: 'Role', cell: (row) => <code>{row.roleAssignment.roleIdentifier}</code> },
                {
                  header: 'Resource group',
                  cell: (row) => <code>{row.roleAssignment.resourceGroupIdentifier}</code>,
                },
                { header: 'State', cell: (row) => (row.roleAssignment.disabled ? 'Disabled' : 'Enabled') },
                {
                  header: 'Actions',
                  cell: (row) =>
                    row.roleAssignment.managed ? (
                      <span className="muted">managed</span>
                    ) : (
                      <div className="actions">
                        <button
                          type="button"
                          onClick={async () => {
                            try {
                              await client.setRoleAssignmentDisabled(
                                scope,
                                row.roleAssignment,
                                !row.roleAssignment.disabled,
                              );
                              setNotice(
                                `${row.roleAssignment.disabled ? 'Enabled' : 'Disabled'} ${row.roleAssignment.identifier}.`,
                              );
                              list.reload();
                            } catch (error) {
                              setNotice(
                                `Changing ${row.roleAssignment.identifier} failed: ${messageOf(error)}`,
                              );
                            }
                          }}
                        >
                          {row.roleAssignment.disabled ? 'Enable' : 'Disable'}
                        </button>
                        <ConfirmDelete
                          what={`role assignment ${row.roleAssignment.identifier}`}
                          consequence="The access it grants ends with the very next check."
                          onConfirm={async () => {
                            await client.deleteRoleAssignment(scope, row.roleAssignment.identifier);
                            setNotice(`Deleted role assignment ${row.roleAssignment.identifier}.`);
                            list.reload();
                          }}
                        />
                      </div>
                    ),
                },
              ]}
            />
          </>
        )}
      </ListSection>
      <FormPanel title="Create a role assignment" submitLabel="Create" onSubmit={create} errors={errors}>
        <TextField
          label="Identifier"
          value={identifier}
          onChange={setIdentifier}
          hint="Optional: one is generated."
          error={errors.byField.identifier}
        />
        <SelectField
          label="Role"
          value={roleIdentifier}
          onChange={setRoleIdentifier}
          options={[{ value: '', label: 'Choose a role' }, ...roles]}
          error={errors.byField.roleIdentifier}
        />
        <SelectField
          label="Resource group"
          value={resourceGroupIdentifier}
          onChange={setResourceGroupIdentifier}
          options={[{ value: '', label: 'Choose a resource group' }, ...resourceGroups]}
          error={errors.byField.resourceGroupIdentifier}
        />
        <SelectField
          label="Principal type"
          value={principalType}
          onChange={(value) => setPrincipalType(value as PrincipalType)}
          options={PRINCIPAL_TYPES}
          error={errors.byField['principal.type']}
        />
        <TextField
          label="Principal"
          value={principal}
          onChange={setPrincipal}
          hint="A user's e-mail or id, or a user group's or service account's identifier."
          error={errors.byField['principal.identifier'] ?? errors.byField.principal}
          required
        />
        <SelectField
          label="Defined at"
          value={scopeLevel}
          onChange={setScopeLevel}
          options={[
            { value: '', label: `This ${level} (default)` },
            ...levels
              .filter((candidate) => candidate !== level)
              .map((candidate) => ({
                value: candidate,
                label: `The ${candidate} above`,
              })),
          ]}
          hint="Where the user group or service account lives (ignored for users)."
          error={errors.byField['principal.scopeLevel']}
        />
      </FormPanel>
    </>
  );
}
