import { useState } from 'react';
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
import { splitList, useRoleAndGroupChoices } from '../components/use-choices';
import { useList } from '../components/use-list';
import { describeScope, useConsole } from '../context';

const FIELDS = ['emails', 'userGroups', 'roleBindings'];

/** Users of the chosen scope and its pending invites: invite, resend, delete an invite, remove a user. */
export function UsersPage() {
  const { client, scope } = useConsole();
  const key = JSON.stringify(scope);
  const users = useList((query) => client.listUsers(scope, query), key);
  const invites = useList((query) => client.listInvites(scope, query), key);
  const { roles, resourceGroups } = useRoleAndGroupChoices();
  const { errors, run } = useAction(FIELDS);
  const [emails, setEmails] = useState('');
  const [userGroups, setUserGroups] = useState('');
  const [roleIdentifier, setRoleIdentifier] = useState('');
  const [resourceGroupIdentifier, setResourceGroupIdentifier] = useState('');
  const [notice, setNotice] = useState<string>();
  const invite = () =>
    run(async () => {
      const answer = await client.addUsers(scope, {
        emails: splitList(emails),
        userGroups: splitList(userGroups),
        roleBindings:
          roleIdentifier && resourceGroupIdentifier ? [{ roleIdentifier, resourceGroupIdentifier }] : [],
      });
      const outcomes = Object.entries(answer.addUserResponseMap).map(
        ([email, outcome]) => `${email}: ${outcome.replaceAll('_', ' ').toLowerCase()}`,
      );
      setNotice(outcomes.join('; '));
      setEmails('');
      setUserGroups('');
      users.reload();
      invites.reload();
    }).then(() => undefined);
  return (
    <>
      <PageHeading>Users</PageHeading>
      <p className="muted">Members and invites of the {describeScope(scope)}.</p>
      <Notice text={notice} />
      <ListSection title="Members" list={users}>
        {(rows) => (
          <DataTable
            caption="Members"
            rows={rows}
            rowKey={(row) => row.userId}
            columns={[
              { header: 'Name', cell: (row) => row.name ?? '—' },
              { header: 'E-mail', cell: (row) => row.email ?? '—' },
              { header: 'User id', cell: (row) => <code>{row.userId}</code> },
              { header: 'Status', cell: (row) => row.status },
              {
                header: 'Actions',
                cell: (row) => (
                  <ConfirmDelete
                    label="Remove"
                    what={`user ${row.email ?? row.userId} from the ${describeScope(scope)}`}
                    consequence="The user loses membership of this scope and of every scope below it."
                    onConfirm={async () => {
                      await client.removeUser(scope, row.userId);
                      setNotice(`Removed ${row.email ?? row.userId}.`);
                      users.reload();
                    }}
                  />
                ),
              },
            ]}
          />
        )}
      </ListSection>
      <ListSection title="Pending invites" list={invites}>
        {(rows) => (
          <DataTable
            caption="Pending invites"
            rows={rows}
            rowKey={(row) => row.id}
            empty="No pending invites."
            columns={[
              { header: 'E-mail', cell: (row) => row.email },
              { header: 'State', cell: (row) => row.state },
              { header: 'Link valid until', cell: (row) => new Date(row.linkExpiresAt).toLocaleString() },
              { header: 'Resend until', cell: (row) => new Date(row.resendUntil).toLocaleString() },
              {
                header: 'Actions',
                cell: (row) => (
                  <div className="actions">
                    <button
                      type="button"
                      onClick={async () => {
                        try {
                          await client.resendInvite(scope, row.id);
                          setNotice(`Sent a new link to ${row.email}.`);
                          invites.reload();
                        } catch (error) {
                          setNotice(
                            `Resend to ${row.email} failed: ${error instanceof Error ? error.message : error}`,
                          );
                        }
                      }}
                    >
                      Resend
                    </button>
                    <ConfirmDelete
                      what={`the invite of ${row.email}`}
                      onConfirm={async () => {
                        await client.deleteInvite(scope, row.id);
                        setNotice(`Deleted the invite of ${row.email}.`);
                        invites.reload();
                      }}
                    />
                  </div>
                ),
              },
            ]}
          />
        )}
      </ListSection>
      <FormPanel title="Invite users" submitLabel="Invite" onSubmit={invite} errors={errors}>
        <TextField
          label="Emails"
          value={emails}
          onChange={setEmails}
          hint="One or more e-mail addresses, separated by commas."
          error={errors.byField.emails}
          required
        />
        <TextField
          label="User groups"
          value={userGroups}
          onChange={setUserGroups}
          hint="Optional: identifiers of groups at this scope, separated by commas."
          error={errors.byField.userGroups}
        />
        <SelectField
          label="Role"
          value={roleIdentifier}
          onChange={setRoleIdentifier}
          options={[{ value: '', label: 'No role binding' }, ...roles]}
          error={errors.byField.roleBindings}
        />
        <SelectField
          label="Resource group"
          value={resourceGroupIdentifier}
          onChange={setResourceGroupIdentifier}
          options={[{ value: '', label: 'No role binding' }, ...resourceGroups]}
        />
      </FormPanel>
    </>
  );
}
