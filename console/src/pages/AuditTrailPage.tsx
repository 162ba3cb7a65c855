import { useEffect, useState } from 'react';
import { AUDIT_ACTIONS, AUDIT_RESOURCE_TYPES } from '../../../functions/core/audit-event';
import type { AuditEvent, AuditFilter } from '../api/client';
import { ListSection } from '../components/list-section';
import { DataTable, PageHeading, SelectField, TextField } from '../components/ui';
import { messageOf } from '../components/use-action';
import { useList } from '../components/use-list';
import { describeScope, useConsole } from '../context';

const ANY = { value: '', label: 'Any' };

function scopeOf(event: AuditEvent): string {
  const { orgIdentifier, projectIdentifier } = event.resourceScope;
  if (projectIdentifier) return `project ${orgIdentifier}/${projectIdentifier}`;
  if (orgIdentifier) return `organization ${orgIdentifier}`;
  return 'account';
}

function timeOf(event: AuditEvent): string {
  return new Date(event.timestamp).toISOString().replace('T', ' ').slice(0, 19);
}

/** The criteria chosen in the form, as the API's filter. */
function filterOf(
  action: string,
  resourceType: string,
  resourceIdentifier: string,
  principal: string,
): AuditFilter {
  const [principalType, principalIdentifier] = principal.includes(':')
    ? (principal.split(':', 2) as [string, string])
    : ['USER', principal];
  return {
    ...(action ? { actions: [action] } : {}),
    ...(resourceType && resourceIdentifier.trim()
      ? { resources: [{ type: resourceType, identifier: resourceIdentifier.trim() }] }
      : {}),
    ...(principal.trim()
      ? { principals: [{ type: principalType, identifier: principalIdentifier.trim() }] }
      : {}),
  };
}

/** One event's resource before and after. */
function ChangeDetails({ event, onClose }: { event: AuditEvent; onClose: () => void }) {
  const { client, session } = useConsole();
  const [change, setChange] = useState<{ oldYaml?: string; newYaml?: string }>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let current = true;
    setChange(undefined);
    setError(undefined);
    client
      .auditChange(session.accountIdentifier, event.auditId)
      .then((loaded) => {
        if (current) setChange(loaded);
      })
      .catch((failure: unknown) => {
        if (current) setError(messageOf(failure));
      });
    return () => {
      current = false;
    };
  }, [client, session.accountIdentifier, event.auditId]);
  return (
    <section className="panel" aria-label="Change details">
      <h2>
        {event.action} {event.resource.type} {event.resource.identifier}
      </h2>
      <p className="muted">
        {timeOf(event)} UTC by {event.authenticationInfo.principal.type}{' '}
        <code>{event.authenticationInfo.principal.identifier}</code>
        {event.authenticationInfo.labels?.tokenIdentifier
          ? ` with token ${event.authenticationInfo.labels.tokenIdentifier}`
          : ''}
      </p>
      {error ? (
        <p className="form-errors" role="alert">
          {error}
        </p>
      ) : null}
      {change ? (
        <div className="change">
          <figure aria-label="Before">
            <figcaption>Before</figcaption>
            <pre>{change.oldYaml ?? '(nothing)'}</pre>
          </figure>
          <figure aria-label="After">
            <figcaption>After</figcaption>
            <pre>{change.newYaml ?? '(nothing)'}</pre>
          </figure>
        </div>
      ) : null}
      <button type="button" onClick={onClose}>
        Close
      </button>
    </section>
  );
}

/** The audit trail of the chosen scope (and below), newest first, filtered by action, resource and principal. */
export function AuditTrailPage() {
  const { client, scope } = useConsole();
  const [action, setAction] = useState('');
  const [resourceType, setResourceType] = useState('');
  const [resourceIdentifier, setResourceIdentifier] = useState('');
  const [principal, setPrincipal] = useState('');
  const [shown, setShown] = useState<AuditEvent>();
  const filter = filterOf(action, resourceType, resourceIdentifier, principal);
  const list = useList(
    (query) => client.listAuditEvents(scope, filter, query),
    JSON.stringify([scope, filter]),
  );
  return (
    <>
      <PageHeading>Audit trail</PageHeading>
      <p className="muted">Who changed what in the {describeScope(scope)} and below, newest first.</p>
      <section className="panel filters" aria-label="Filters">
        <h2>Filters</h2>
        <SelectField
          label="Action"
          value={action}
          onChange={setAction}
          options={[ANY, ...AUDIT_ACTIONS.map((value) => ({ value, label: value }))]}
        />
        <SelectField
          label="Resource type"
          value={resourceType}
          onChange={setResourceType}
          options={[ANY, ...AUDIT_RESOURCE_TYPES.map((value) => ({ value, label: value }))]}
        />
        <TextField
          label="Resource identifier"
          value={resourceIdentifier}
          onChange={setResourceIdentifier}
          hint="With a resource type: only that resource."
        />
        <TextField
          label="Done by"
          value={principal}
          onChange={setPrincipal}
          hint="A user id, or TYPE:identifier (e.g. SERVICE_ACCOUNT:admin)."
        />
      </section>
      <ListSection title="Events" list={list} searchable={false}>
        {(rows) => (
          <DataTable
            caption="Audit events"
            rows={rows}
            rowKey={(row) => row.auditId}
            empty="No events match."
            columns={[
              { header: 'Time (UTC)', cell: timeOf },
              {
                header: 'Done by',
                cell: (row) => (
                  <>
                    {row.authenticationInfo.principal.type}{' '}
                    <code>{row.authenticationInfo.principal.identifier}</code>
                  </>
                ),
              },
              { header: 'Action', cell: (row) => row.action },
              {
                header: 'Resource',
                cell: (row) => (
                  <>
                    {row.resource.type} <code>{row.resource.identifier}</code>
                  </>
                ),
              },
              { header: 'Scope', cell: scopeOf },
              {
                header: 'Details',
                cell: (row) => (
                  <button
                    type="button"
                    aria-label={`Details of ${row.action} ${row.resource.identifier}`}
                    onClick={() => setShown(row)}
                  >
                    Details
                  </button>
                ),
              },
            ]}
          />
        )}
      </ListSection>
      {shown ? <ChangeDetails event={shown} onClose={() => setShown(undefined)} /> : null}
    </>
  );
}
