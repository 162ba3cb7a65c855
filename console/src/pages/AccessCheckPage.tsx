import { useState } from 'react';
import { ApiError, type CheckPrincipal, type CheckResult, type Explanation, type Scope } from '../api/client';
import { PERMISSION_IDENTIFIERS, RESOURCE_TYPE_IDENTIFIERS, resourceTypeOfPermission } from '../catalogue';
import { resolveUserId } from '../components/resolve-user';
import { FormPanel, PageHeading, SelectField, TextField } from '../components/ui';
import { messageOf, useAction } from '../components/use-action';
import { useConsole } from '../context';

/** The principal types a check may name. */
export const CHECK_PRINCIPAL_TYPES = [
  { value: 'USER', label: 'User' },
  { value: 'SERVICE_ACCOUNT', label: 'Service account' },
];

/** A scope as words for an explanation. */
export function scopeWords(scope: Scope | undefined): string {
  if (!scope) return '—';
  if (scope.projectIdentifier) return `project ${scope.orgIdentifier}/${scope.projectIdentifier}`;
  if (scope.orgIdentifier) return `organization ${scope.orgIdentifier}`;
  return `account ${scope.accountIdentifier}`;
}

/** The principal of a check or review form (`undefined` = the signed-in caller), an e-mail resolved to its user. */
export async function principalOf(
  client: import('../api/client').ApiClient,
  accountIdentifier: string,
  type: string,
  typed: string,
  fieldId: string,
): Promise<CheckPrincipal | undefined> {
  const value = typed.trim();
  if (value === '') return undefined;
  if (type !== 'USER') return { principalIdentifier: value, principalType: 'SERVICE_ACCOUNT' };
  try {
    return {
      principalIdentifier: await resolveUserId(client, { accountIdentifier }, value),
      principalType: 'USER',
    };
  } catch (error) {
    throw new ApiError(400, 'INVALID_REQUEST', messageOf(error), [{ fieldId, error: messageOf(error) }]);
  }
}

/** The explanation of a grant as a definition list. */
export function ExplanationList({ explanation }: { explanation: Explanation }) {
  return (
    <dl className="explanation">
      <dt>Role</dt>
      <dd>
        <code>{explanation.roleIdentifier}</code>
      </dd>
      <dt>Resource group</dt>
      <dd>
        <code>{explanation.resourceGroupIdentifier}</code>
      </dd>
      <dt>Role assignment</dt>
      <dd>
        <code>{explanation.roleAssignmentIdentifier}</code>
      </dd>
      <dt>Assigned at</dt>
      <dd>{scopeWords(explanation.scope)}</dd>
      {explanation.viaUserGroup ? (
        <>
          <dt>Via user group</dt>
          <dd>
            <code>{explanation.viaUserGroup}</code>
          </dd>
        </>
      ) : null}
      {explanation.implicitScopeView ? (
        <>
          <dt>Note</dt>
          <dd>implicit view of a scope above a granted resource</dd>
        </>
      ) : null}
    </dl>
  );
}

/** Access check: one permission on one resource for a principal → Permitted or Denied, with the explanation or reason. */
export function AccessCheckPage() {
  const { client, session, scope } = useConsole();
  const account = session.accountIdentifier;
  const { errors, run } = useAction([
    'principal.principalIdentifier',
    'principal.principalType',
    'permissions[0].permission',
    'permissions[0].resourceType',
    'permissions[0].resourceIdentifier',
    'permissions[0].resourceScope',
  ]);
  const [principalType, setPrincipalType] = useState('USER');
  const [principal, setPrincipal] = useState('');
  const [permission, setPermission] = useState('');
  const [resourceType, setResourceType] = useState('');
  const [resourceIdentifier, setResourceIdentifier] = useState('');
  const [organization, setOrganization] = useState(scope.orgIdentifier ?? '');
  const [project, setProject] = useState(scope.projectIdentifier ?? '');
  const [result, setResult] = useState<{ who: CheckPrincipal; entry: CheckResult }>();
  const check = () =>
    run(async () => {
      setResult(undefined);
      const who = await principalOf(
        client,
        account,
        principalType,
        principal,
        'principal.principalIdentifier',
      );
      const type = resourceType || resourceTypeOfPermission(permission.trim()) || '';
      const answer = await client.checkAccess(account, who, [
        {
          permission: permission.trim(),
          resourceType: type,
          resourceScope: {
            accountIdentifier: account,
            ...(organization.trim() ? { orgIdentifier: organization.trim() } : {}),
            ...(project.trim() ? { projectIdentifier: project.trim() } : {}),
          },
          ...(resourceIdentifier.trim() ? { resourceIdentifier: resourceIdentifier.trim() } : {}),
        },
      ]);
      const entry = answer.accessControlList[0];
      if (entry) setResult({ who: answer.principal, entry });
    }).then(() => undefined);
  return (
    <>
      <PageHeading>Access check</PageHeading>
      <p className="muted">
        May this principal do this on that resource? Leave Principal empty to check the signed-in token
        itself.
      </p>
      <FormPanel title="Check one permission" submitLabel="Check" onSubmit={check} errors={errors}>
        <SelectField
          label="Principal type"
          value={principalType}
          onChange={setPrincipalType}
          options={CHECK_PRINCIPAL_TYPES}
          error={errors.byField['principal.principalType']}
        />
        <TextField
          label="Principal"
          value={principal}
          onChange={setPrincipal}
          hint="A user's e-mail or id, or a service account's identifier."
          error={errors.byField['principal.principalIdentifier']}
        />
        <TextField
          label="Permission"
          value={permission}
          onChange={setPermission}
          list="permission-identifiers"
          hint="e.g. core_pipeline_execute"
          error={errors.byField['permissions[0].permission']}
          required
        />
        <datalist id="permission-identifiers">
          {PERMISSION_IDENTIFIERS.map((identifier) => (
            <option key={identifier} value={identifier} />
          ))}
        </datalist>
        <SelectField
          label="Resource type"
          value={resourceType}
          onChange={setResourceType}
          options={[
            { value: '', label: 'The permission’s own type' },
            ...RESOURCE_TYPE_IDENTIFIERS.map((type) => ({ value: type, label: type })),
          ]}
          error={errors.byField['permissions[0].resourceType']}
        />
        <TextField
          label="Resource identifier"
          value={resourceIdentifier}
          onChange={setResourceIdentifier}
          hint="Empty: any resource of the type."
          error={errors.byField['permissions[0].resourceIdentifier']}
        />
        <TextField
          label="Organization"
          value={organization}
          onChange={setOrganization}
          hint="Where the resource lives; empty: the account."
          error={errors.byField['permissions[0].resourceScope']}
        />
        <TextField label="Project" value={project} onChange={setProject} />
      </FormPanel>
      <section className="panel result" aria-label="Result" aria-live="polite">
        {result ? (
          <>
            <p className={`decision ${result.entry.permitted ? 'permitted' : 'denied'}`}>
              {result.entry.permitted ? 'Permitted' : 'Denied'}
            </p>
            <p>
              {result.who.principalType === 'USER' ? 'User' : 'Service account'}{' '}
              <code>{result.who.principalIdentifier}</code>, <code>{result.entry.permission}</code> on{' '}
              {result.entry.resourceType}{' '}
              {result.entry.resourceIdentifier ? <code>{result.entry.resourceIdentifier}</code> : '(any)'} in{' '}
              {scopeWords(result.entry.resourceScope)}
            </p>
            {result.entry.explanation ? <ExplanationList explanation={result.entry.explanation} /> : null}
            {result.entry.reason ? (
              <p>
                <strong>Reason:</strong> {result.entry.reason}
              </p>
            ) : null}
          </>
        ) : (
          <p className="muted">No check yet.</p>
        )}
      </section>
    </>
  );
}
