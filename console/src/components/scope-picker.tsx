import { useEffect, useId, useState } from 'react';
import type { ApiClient, Scope } from '../api/client';

interface ScopeChoice {
  readonly value: string;
  readonly label: string;
  readonly scope: Scope;
}

/** The value of a scope in the picker: `` for the account, `org` or `org/project`. */
export function scopeValue(scope: Scope): string {
  if (scope.projectIdentifier) return `${scope.orgIdentifier}/${scope.projectIdentifier}`;
  return scope.orgIdentifier ?? '';
}

/** The scope picker (label **Scope**): the account, then each organization followed by its projects. */
export function ScopePicker(props: {
  client: ApiClient;
  scope: Scope;
  onChange: (scope: Scope) => void;
  version: number;
}) {
  const id = useId();
  const { client, scope, onChange, version } = props;
  const account = scope.accountIdentifier;
  const [choices, setChoices] = useState<ScopeChoice[]>([]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloaded when scopes change (`version`)
  useEffect(() => {
    let current = true;
    Promise.all([
      client.listOrganizations(account, { pageSize: 100 }),
      client.listProjects(account, undefined, { pageSize: 100 }).catch(() => undefined),
    ])
      .then(([organizations, projects]) => {
        if (!current) return;
        const list: ScopeChoice[] = [
          { value: '', label: `Account: ${account}`, scope: { accountIdentifier: account } },
        ];
        for (const { organization } of organizations.content) {
          list.push({
            value: organization.identifier,
            label: `Organization: ${organization.name} (${organization.identifier})`,
            scope: { accountIdentifier: account, orgIdentifier: organization.identifier },
          });
          for (const { project } of projects?.content ?? []) {
            if (project.orgIdentifier !== organization.identifier) continue;
            list.push({
              value: `${project.orgIdentifier}/${project.identifier}`,
              label: `Project: ${project.name} (${project.orgIdentifier}/${project.identifier})`,
              scope: {
                accountIdentifier: account,
                orgIdentifier: project.orgIdentifier,
                projectIdentifier: project.identifier,
              },
            });
          }
        }
        setChoices(list);
      })
      .catch(() => {
        if (current)
          setChoices([{ value: '', label: `Account: ${account}`, scope: { accountIdentifier: account } }]);
      });
    return () => {
      current = false;
    };
  }, [account, version]);
  const selected = scopeValue(scope);
  const shown = choices.some((choice) => choice.value === selected)
    ? choices
    : [...choices, { value: selected, label: selected || `Account: ${account}`, scope }];
  return (
    <div className="scope-picker">
      <label htmlFor={id}>Scope</label>
      <select
        id={id}
        value={selected}
        onChange={(event) => {
          const choice = shown.find((candidate) => candidate.value === event.target.value);
          if (choice) onChange(choice.scope);
        }}
      >
        {shown.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    </div>
  );
}
