import { useEffect, useState } from 'react';
import { useConsole } from '../context';
import type { Option } from './ui';

/** The roles and resource groups usable at the chosen scope, as select options (value = identifier, label = name). */
export function useRoleAndGroupChoices(): { roles: Option[]; resourceGroups: Option[] } {
  const { client, scope } = useConsole();
  const [roles, setRoles] = useState<Option[]>([]);
  const [resourceGroups, setResourceGroups] = useState<Option[]>([]);
  useEffect(() => {
    let current = true;
    client
      .listRoles(scope, { pageSize: 100 })
      .then((page) => {
        if (current) setRoles(page.content.map(({ role }) => ({ value: role.identifier, label: role.name })));
      })
      .catch(() => undefined);
    client
      .listResourceGroups(scope, { pageSize: 100 })
      .then((page) => {
        if (current) {
          setResourceGroups(
            page.content.map(({ resourceGroup }) => ({
              value: resourceGroup.identifier,
              label: resourceGroup.name,
            })),
          );
        }
      })
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [client, scope]);
  return { roles, resourceGroups };
}

/** Splits a comma- or space-separated list typed into a field. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
