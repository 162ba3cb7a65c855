import { useId, useState } from 'react';
import { permissionGroups } from '../catalogue';

/** The permission catalogue as checkboxes grouped by resource type, with a filter; `readOnly` shows a managed role. */
export function PermissionPicker(props: {
  level: 'account' | 'organization' | 'project';
  selected: readonly string[];
  onChange?: (selected: string[]) => void;
  error?: string | undefined;
}) {
  const filterId = useId();
  const [filter, setFilter] = useState('');
  const term = filter.trim().toLowerCase();
  const chosen = new Set(props.selected);
  const groups = permissionGroups(props.level)
    .map((group) => ({
      ...group,
      permissions: group.permissions.filter(
        (permission) =>
          (props.onChange || chosen.has(permission.identifier)) &&
          (term === '' ||
            permission.identifier.includes(term) ||
            permission.name.toLowerCase().includes(term) ||
            group.resourceType.toLowerCase().includes(term)),
      ),
    }))
    .filter((group) => group.permissions.length > 0);
  const toggle = (identifier: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(identifier);
    else next.delete(identifier);
    props.onChange?.([...next]);
  };
  return (
    <div className="permission-picker">
      <div className="field inline">
        <label htmlFor={filterId}>Filter permissions</label>
        <input
          id={filterId}
          type="search"
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
        />
      </div>
      <p className="hint">{props.selected.length} selected</p>
      {props.error ? <p className="field-error">{props.error}</p> : null}
      <div className="permission-groups">
        {groups.map((group) => (
          <fieldset key={group.resourceType}>
            <legend>{group.resourceType}</legend>
            {group.permissions.map((permission) => (
              <label key={permission.identifier} className="permission">
                <input
                  type="checkbox"
                  checked={chosen.has(permission.identifier)}
                  disabled={!props.onChange}
                  onChange={(event) => toggle(permission.identifier, event.target.checked)}
                />{' '}
                {permission.name} <code>{permission.identifier}</code>
              </label>
            ))}
          </fieldset>
        ))}
      </div>
    </div>
  );
}
