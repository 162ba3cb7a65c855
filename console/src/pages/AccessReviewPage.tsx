import { useState } from 'react';
import type { Check, Page, PermissionReviewEntry, PrincipalReviewEntry } from '../api/client';
import { PERMISSION_IDENTIFIERS, RESOURCE_TYPE_IDENTIFIERS, resourceTypeOfPermission } from '../catalogue';
import { DataTable, FormPanel, ListControls, PageHeading, SelectField, TextField } from '../components/ui';
import { useAction } from '../components/use-action';
import { PAGE_SIZE } from '../components/use-list';
import { describeScope, useConsole } from '../context';
import { CHECK_PRINCIPAL_TYPES, principalOf, scopeWords } from './AccessCheckPage';

const RESOURCE_TYPE_OPTIONS = [
  { value: '', label: 'Any type' },
  ...RESOURCE_TYPE_IDENTIFIERS.map((type) => ({ value: type, label: type })),
];

function PermissionsReview() {
  const { client, session, scope } = useConsole();
  const account = session.accountIdentifier;
  const { errors, run } = useAction([
    'principal.principalIdentifier',
    'principal.principalType',
    'resourceType',
    'permission',
    'scope',
  ]);
  const [principalType, setPrincipalType] = useState('USER');
  const [principal, setPrincipal] = useState('');
  const [resourceType, setResourceType] = useState('');
  const [permission, setPermission] = useState('');
  const [rows, setRows] = useState<PermissionReviewEntry[]>();
  const review = () =>
    run(async () => {
      const who = await principalOf(
        client,
        account,
        principalType,
        principal,
        'principal.principalIdentifier',
      );
      const answer = await client.reviewPermissions(account, {
        ...(who ? { principal: who } : {}),
        scope,
        ...(resourceType ? { resourceType } : {}),
        ...(permission.trim() ? { permission: permission.trim() } : {}),
      });
      setRows(answer.permissions);
    }).then(() => undefined);
  return (
    <>
      <FormPanel
        title={`What can this principal do in the ${describeScope(scope)}?`}
        submitLabel="Review"
        onSubmit={review}
        errors={errors}
      >
        <SelectField
          label="Principal type"
          value={principalType}
          onChange={setPrincipalType}
          options={CHECK_PRINCIPAL_TYPES}
        />
        <TextField
          label="Principal"
          value={principal}
          onChange={setPrincipal}
          hint="A user's e-mail or id, or a service account's identifier; empty: the signed-in token."
          error={errors.byField['principal.principalIdentifier']}
        />
        <SelectField
          label="Resource type"
          value={resourceType}
          onChange={setResourceType}
          options={RESOURCE_TYPE_OPTIONS}
          error={errors.byField.resourceType}
        />
        <TextField
          label="Permission"
          value={permission}
          onChange={setPermission}
          list="review-permissions"
          hint="Optional."
          error={errors.byField.permission}
        />
        <datalist id="review-permissions">
          {PERMISSION_IDENTIFIERS.map((identifier) => (
            <option key={identifier} value={identifier} />
          ))}
        </datalist>
      </FormPanel>
      {rows ? (
        <section className="panel" aria-label="Permissions held">
          <DataTable
            caption="Permissions held here"
            rows={rows}
            rowKey={(row) => `${row.permission} ${row.resourceType}`}
            empty="None: this principal can do nothing here."
            columns={[
              { header: 'Permission', cell: (row) => <code>{row.permission}</code> },
              { header: 'Resource type', cell: (row) => row.resourceType },
              {
                header: 'On',
                cell: (row) =>
                  row.selection.kind === 'ALL'
                    ? 'All'
                    : [
                        ...row.selection.identifiers,
                        ...row.selection.attributeFilters.map((filter) => JSON.stringify(filter)),
                      ].join(', '),
              },
              { header: 'Role', cell: (row) => <code>{row.grantedBy.roleIdentifier}</code> },
              {
                header: 'Resource group',
                cell: (row) => <code>{row.grantedBy.resourceGroupIdentifier}</code>,
              },
              { header: 'Assigned at', cell: (row) => scopeWords(row.grantedBy.scope) },
              { header: 'Via user group', cell: (row) => row.grantedBy.viaUserGroup ?? '—' },
            ]}
          />
        </section>
      ) : null}
    </>
  );
}

function PrincipalsReview() {
  const { client, session, scope } = useConsole();
  const account = session.accountIdentifier;
  const { errors, run } = useAction(['permission', 'resourceType', 'resourceIdentifier', 'resourceScope']);
  const [permission, setPermission] = useState('');
  const [resourceType, setResourceType] = useState('');
  const [resourceIdentifier, setResourceIdentifier] = useState('');
  const [page, setPage] = useState<Page<PrincipalReviewEntry>>();
  const [asked, setAsked] = useState<Check>();
  const load = (check: Check, pageIndex: number) =>
    run(async () => {
      setPage(await client.reviewPrincipals(account, check, { pageIndex, pageSize: PAGE_SIZE }));
      setAsked(check);
    }).then(() => undefined);
  const submit = () =>
    load(
      {
        permission: permission.trim(),
        resourceType: resourceType || resourceTypeOfPermission(permission.trim()) || '',
        resourceScope: scope,
        ...(resourceIdentifier.trim() ? { resourceIdentifier: resourceIdentifier.trim() } : {}),
      },
      0,
    );
  return (
    <>
      <FormPanel
        title={`Who can do this on that resource in the ${describeScope(scope)}?`}
        submitLabel="Find principals"
        onSubmit={submit}
        errors={errors}
      >
        <TextField
          label="Permission"
          value={permission}
          onChange={setPermission}
          list="who-permissions"
          error={errors.byField.permission}
          required
        />
        <datalist id="who-permissions">
          {PERMISSION_IDENTIFIERS.map((identifier) => (
            <option key={identifier} value={identifier} />
          ))}
        </datalist>
        <SelectField
          label="Resource type"
          value={resourceType}
          onChange={setResourceType}
          options={[{ value: '', label: 'The permission’s own type' }, ...RESOURCE_TYPE_OPTIONS.slice(1)]}
          error={errors.byField.resourceType}
        />
        <TextField
          label="Resource identifier"
          value={resourceIdentifier}
          onChange={setResourceIdentifier}
          hint="Empty: any resource of the type."
          error={errors.byField.resourceIdentifier}
        />
      </FormPanel>
      {page && asked ? (
        <section className="panel" aria-label="Principals">
          <ListControls
            pageIndex={page.pageIndex}
            totalPages={page.totalPages}
            totalItems={page.totalItems}
            onPage={(pageIndex) => load(asked, pageIndex)}
          />
          <DataTable
            caption={`Who holds ${asked.permission}`}
            rows={page.content}
            rowKey={(row) => `${row.principal.principalType} ${row.principal.principalIdentifier}`}
            empty="Nobody."
            columns={[
              { header: 'Principal type', cell: (row) => row.principal.principalType },
              { header: 'Principal', cell: (row) => <code>{row.principal.principalIdentifier}</code> },
              { header: 'Role', cell: (row) => <code>{row.explanation.roleIdentifier}</code> },
              {
                header: 'Resource group',
                cell: (row) => <code>{row.explanation.resourceGroupIdentifier}</code>,
              },
              {
                header: 'Role assignment',
                cell: (row) => <code>{row.explanation.roleAssignmentIdentifier}</code>,
              },
              { header: 'Assigned at', cell: (row) => scopeWords(row.explanation.scope) },
              { header: 'Via user group', cell: (row) => row.explanation.viaUserGroup ?? '—' },
            ]}
          />
        </section>
      ) : null}
    </>
  );
}

/** Access review: what a principal can do at the chosen scope, and who can do something on a resource there. */
export function AccessReviewPage() {
  const [question, setQuestion] = useState<'permissions' | 'principals'>('permissions');
  return (
    <>
      <PageHeading>Access review</PageHeading>
      <fieldset className="question">
        <legend>Question</legend>
        <label>
          <input
            type="radio"
            name="review-question"
            checked={question === 'permissions'}
            onChange={() => setQuestion('permissions')}
          />{' '}
          What can this principal do here
        </label>
        <label>
          <input
            type="radio"
            name="review-question"
            checked={question === 'principals'}
            onChange={() => setQuestion('principals')}
          />{' '}
          Who can do this on that resource
        </label>
      </fieldset>
      {question === 'permissions' ? <PermissionsReview /> : <PrincipalsReview />}
    </>
  );
}
