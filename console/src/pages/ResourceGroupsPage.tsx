import { useCallback, useEffect, useState } from 'react';
import type {
  IncludedScope,
  ResourceGroup,
  ResourceGroupResponse,
  ResourceSelector,
  Scope,
} from '../api/client';
import { RESOURCE_TYPE_IDENTIFIERS } from '../catalogue';
import type { FormErrors } from '../components/form-errors';
import { ListSection } from '../components/list-section';
import {
  CheckboxField,
  ConfirmDelete,
  DataTable,
  FormPanel,
  Notice,
  PageHeading,
  SelectField,
  TextField,
} from '../components/ui';
import { messageOf, useAction } from '../components/use-action';
import { splitList } from '../components/use-choices';
import { useList } from '../components/use-list';
import { describeScope, useConsole } from '../context';
import { Link, navigate } from '../router';

const FIELDS = [
  'resourceGroup.identifier',
  'resourceGroup.name',
  'resourceGroup.description',
  'resourceGroup.includedScopes',
  'resourceGroup.resourceFilter',
];

interface SelectorDraft {
  resourceType: string;
  identifiers: string;
  attributeName: string;
  attributeValues: string;
}

interface GroupDraft {
  identifier: string;
  name: string;
  description: string;
  includeChildScopes: boolean;
  moreScopes: string;
  includeAllResources: boolean;
  selectors: SelectorDraft[];
}

const EMPTY_DRAFT: GroupDraft = {
  identifier: '',
  name: '',
  description: '',
  includeChildScopes: false,
  moreScopes: '',
  includeAllResources: true,
  selectors: [],
};

function sameScope(a: Scope, b: IncludedScope): boolean {
  return (
    (a.orgIdentifier ?? '') === (b.orgIdentifier ?? '') &&
    (a.projectIdentifier ?? '') === (b.projectIdentifier ?? '')
  );
}

function draftOf(scope: Scope, group: ResourceGroup): GroupDraft {
  const own = group.includedScopes.find((included) => sameScope(scope, included));
  const more = group.includedScopes.filter((included) => !sameScope(scope, included));
  return {
    identifier: group.identifier,
    name: group.name,
    description: group.description ?? '',
    includeChildScopes: own?.filter === 'INCLUDING_CHILD_SCOPES',
    moreScopes: more
      .map(
        (included) =>
          [included.orgIdentifier, included.projectIdentifier].filter(Boolean).join('/') +
          (included.filter === 'INCLUDING_CHILD_SCOPES' ? '/*' : ''),
      )
      .join(', '),
    includeAllResources: group.resourceFilter.includeAllResources === true,
    selectors: (group.resourceFilter.resources ?? []).map((selector) => ({
      resourceType: selector.resourceType,
      identifiers: (selector.identifiers ?? []).join(', '),
      attributeName: selector.attributeFilter?.attributeName ?? '',
      attributeValues: (selector.attributeFilter?.attributeValues ?? []).join(', '),
    })),
  };
}

function includedScopeOf(scope: Scope, path: string): IncludedScope {
  const children = path.endsWith('/*');
  const [org, project] = (children ? path.slice(0, -2) : path).split('/');
  return {
    filter: children ? 'INCLUDING_CHILD_SCOPES' : 'EXCLUDING_CHILD_SCOPES',
    accountIdentifier: scope.accountIdentifier,
    ...(org ? { orgIdentifier: org } : {}),
    ...(project ? { projectIdentifier: project } : {}),
  };
}

function groupOf(scope: Scope, draft: GroupDraft): ResourceGroup {
  const own: IncludedScope = {
    filter: draft.includeChildScopes ? 'INCLUDING_CHILD_SCOPES' : 'EXCLUDING_CHILD_SCOPES',
    accountIdentifier: scope.accountIdentifier,
    ...(scope.orgIdentifier ? { orgIdentifier: scope.orgIdentifier } : {}),
    ...(scope.projectIdentifier ? { projectIdentifier: scope.projectIdentifier } : {}),
  };
  const resources: ResourceSelector[] = draft.selectors.map((selector) => {
    const identifiers = splitList(selector.identifiers);
    const values = splitList(selector.attributeValues);
    return {
      resourceType: selector.resourceType,
      ...(identifiers.length > 0 ? { identifiers } : {}),
      ...(selector.attributeName.trim()
        ? { attributeFilter: { attributeName: selector.attributeName.trim(), attributeValues: values } }
        : {}),
    };
  });
  return {
    identifier: draft.identifier.trim(),
    name: draft.name.trim(),
    ...(draft.description.trim() ? { description: draft.description.trim() } : {}),
    includedScopes: [own, ...splitList(draft.moreScopes).map((path) => includedScopeOf(scope, path))],
    resourceFilter: draft.includeAllResources
      ? { includeAllResources: true }
      : { includeAllResources: false, resources },
  };
}

function GroupFields(props: {
  draft: GroupDraft;
  onChange: (draft: GroupDraft) => void;
  errors: FormErrors;
  withIdentifier: boolean;
}) {
  const { draft, onChange, errors } = props;
  const set = (patch: Partial<GroupDraft>) => onChange({ ...draft, ...patch });
  const setSelector = (index: number, patch: Partial<SelectorDraft>) =>
    set({
      selectors: draft.selectors.map((selector, at) => (at === index ? { ...selector, ...patch } : selector)),
    });
  return (
    <>
      {props.withIdentifier ? (
        <TextField
          label="Identifier"
          value={draft.identifier}
          onChange={(identifier) => set({ identifier })}
          error={errors.byField['resourceGroup.identifier']}
          required
        />
      ) : null}
      <TextField
        label="Name"
        value={draft.name}
        onChange={(name) => set({ name })}
        error={errors.byField['resourceGroup.name']}
        required
      />
      <TextField
        label="Description"
        value={draft.description}
        onChange={(description) => set({ description })}
        error={errors.byField['resourceGroup.description']}
      />
      <fieldset>
        <legend>Included scopes</legend>
        <CheckboxField
          label="Include child scopes"
          checked={draft.includeChildScopes}
          onChange={(includeChildScopes) => set({ includeChildScopes })}
        />
        <TextField
          label="More included scopes"
          value={draft.moreScopes}
          onChange={(moreScopes) => set({ moreScopes })}
          hint="Optional: descendant scopes as org or org/project, with /* to include their children; separated by commas."
          error={errors.byField['resourceGroup.includedScopes']}
        />
      </fieldset>
      <fieldset>
        <legend>Resource filter</legend>
        <CheckboxField
          label="Include all resources"
          checked={draft.includeAllResources}
          onChange={(includeAllResources) => set({ includeAllResources })}
        />
        {errors.byField['resourceGroup.resourceFilter'] ? (
          <p className="field-error">{errors.byField['resourceGroup.resourceFilter']}</p>
        ) : null}
        {draft.includeAllResources
          ? null
          : draft.selectors.map((selector, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: selectors have no identity but their place
              <fieldset key={index} className="selector">
                <legend>Resources {index + 1}</legend>
                <SelectField
                  label={`Resource type ${index + 1}`}
                  value={selector.resourceType}
                  onChange={(resourceType) => setSelector(index, { resourceType })}
                  options={RESOURCE_TYPE_IDENTIFIERS.filter((type) => type !== 'ACCOUNT').map((type) => ({
                    value: type,
                    label: type,
                  }))}
                />
                <TextField
                  label={`Identifiers ${index + 1}`}
                  value={selector.identifiers}
                  onChange={(identifiers) => setSelector(index, { identifiers })}
                  hint="Empty: every resource of the type."
                />
                <TextField
                  label={`Attribute name ${index + 1}`}
                  value={selector.attributeName}
                  onChange={(attributeName) => setSelector(index, { attributeName })}
                  hint="Optional: type (ENVIRONMENT), category (CONNECTOR) or tag (FEATUREFLAG)."
                />
                <TextField
                  label={`Attribute values ${index + 1}`}
                  value={selector.attributeValues}
                  onChange={(attributeValues) => setSelector(index, { attributeValues })}
                />
                <button
                  type="button"
                  onClick={() => set({ selectors: draft.selectors.filter((_, at) => at !== index) })}
                >
                  Remove resources {index + 1}
                </button>
              </fieldset>
            ))}
        {draft.includeAllResources ? null : (
          <button
            type="button"
            onClick={() =>
              set({
                selectors: [
                  ...draft.selectors,
                  { resourceType: 'PIPELINE', identifiers: '', attributeName: '', attributeValues: '' },
                ],
              })
            }
          >
            Add resources
          </button>
        )}
      </fieldset>
    </>
  );
}

function describeFilter(group: ResourceGroup): string {
  if (group.resourceFilter.includeAllResources) return 'all resources';
  return (group.resourceFilter.resources ?? [])
    .map((selector) => {
      if (selector.identifiers?.length) return `${selector.resourceType}: ${selector.identifiers.join(', ')}`;
      if (selector.attributeFilter) {
        return `${selector.resourceType} where ${selector.attributeFilter.attributeName} in ${selector.attributeFilter.attributeValues.join(', ')}`;
      }
      return `every ${selector.resourceType}`;
    })
    .join('; ');
}

function describeScopes(group: ResourceGroup): string {
  return group.includedScopes
    .map(
      (included) =>
        (included.projectIdentifier
          ? `${included.orgIdentifier}/${included.projectIdentifier}`
          : (included.orgIdentifier ?? included.accountIdentifier)) +
        (included.filter === 'INCLUDING_CHILD_SCOPES' ? ' and below' : ''),
    )
    .join(', ');
}

/** Resource groups of the chosen scope: list, search, create, delete. */
export function ResourceGroupsPage() {
  const { client, scope } = useConsole();
  const list = useList((query) => client.listResourceGroups(scope, query), JSON.stringify(scope));
  const { errors, run } = useAction(FIELDS);
  const [draft, setDraft] = useState<GroupDraft>(EMPTY_DRAFT);
  const [notice, setNotice] = useState<string>();
  const create = () =>
    run(async () => {
      await client.createResourceGroup(scope, groupOf(scope, draft));
      setNotice(`Created resource group ${draft.identifier.trim()}.`);
      setDraft(EMPTY_DRAFT);
      list.reload();
    }).then(() => undefined);
  return (
    <>
      <PageHeading>Resource groups</PageHeading>
      <p className="muted">Resource groups of the {describeScope(scope)}.</p>
      <Notice text={notice} />
      <ListSection title="Resource groups at this scope" list={list}>
        {(rows) => (
          <DataTable
            caption="Resource groups"
            rows={rows}
            rowKey={(row) => row.resourceGroup.identifier}
            columns={[
              {
                header: 'Identifier',
                cell: (row) => (
                  <Link to={`/resource-groups/${encodeURIComponent(row.resourceGroup.identifier)}`}>
                    <code>{row.resourceGroup.identifier}</code>
                  </Link>
                ),
              },
              { header: 'Name', cell: (row) => row.resourceGroup.name },
              { header: 'Scopes', cell: (row) => describeScopes(row.resourceGroup) },
              { header: 'Resources', cell: (row) => describeFilter(row.resourceGroup) },
              {
                header: 'Actions',
                cell: (row) =>
                  row.harnessManaged ? (
                    <span className="muted">managed</span>
                  ) : (
                    <ConfirmDelete
                      what={`resource group ${row.resourceGroup.identifier}`}
                      consequence="Its role assignments at this scope are deleted too."
                      onConfirm={async () => {
                        await client.deleteResourceGroup(scope, row.resourceGroup.identifier);
                        setNotice(`Deleted resource group ${row.resourceGroup.identifier}.`);
                        list.reload();
                      }}
                    />
                  ),
              },
            ]}
          />
        )}
      </ListSection>
      <FormPanel title="Create a resource group" submitLabel="Create" onSubmit={create} errors={errors}>
        <GroupFields draft={draft} onChange={setDraft} errors={errors} withIdentifier />
      </FormPanel>
    </>
  );
}

/** One resource group: managed ones read-only, custom ones edited. */
export function ResourceGroupPage({ identifier }: { identifier: string }) {
  const { client, scope } = useConsole();
  const [group, setGroup] = useState<ResourceGroupResponse>();
  const [draft, setDraft] = useState<GroupDraft>(EMPTY_DRAFT);
  const [loadError, setLoadError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const { errors, run } = useAction(FIELDS);
  const load = useCallback(async () => {
    try {
      const loaded = await client.getResourceGroup(scope, identifier);
      setGroup(loaded);
      setDraft(draftOf(scope, loaded.resourceGroup));
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
      await client.updateResourceGroup(scope, groupOf(scope, { ...draft, identifier }));
      setNotice(`Saved resource group ${identifier}.`);
      await load();
    }).then(() => undefined);
  return (
    <>
      <PageHeading>Resource group {identifier}</PageHeading>
      <p>
        <Link to="/resource-groups">Back to the resource groups</Link>
      </p>
      <Notice text={notice} />
      {loadError ? (
        <p className="form-errors" role="alert">
          {loadError}
        </p>
      ) : null}
      {group?.harnessManaged ? (
        <section className="panel" aria-label="Managed resource group">
          <h2>{group.resourceGroup.name}</h2>
          <p>A managed resource group: it cannot be changed or deleted.</p>
          <p>Scopes: {describeScopes(group.resourceGroup)}</p>
          <p>Resources: {describeFilter(group.resourceGroup)}</p>
        </section>
      ) : null}
      {group && !group.harnessManaged ? (
        <>
          <FormPanel title="Edit the resource group" submitLabel="Save" onSubmit={save} errors={errors}>
            <GroupFields draft={draft} onChange={setDraft} errors={errors} withIdentifier={false} />
          </FormPanel>
          <ConfirmDelete
            what={`resource group ${identifier}`}
            onConfirm={async () => {
              await client.deleteResourceGroup(scope, identifier);
              navigate('/resource-groups');
            }}
          />
        </>
      ) : null}
    </>
  );
}
