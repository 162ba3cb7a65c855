import { createContext, useContext } from 'react';
import type { ApiClient, Scope } from './api/client';
import type { Session } from './session';

/** What every signed-in page needs: the API client, the session and the chosen scope. */
export interface ConsoleState {
  readonly client: ApiClient;
  readonly session: Session;
  readonly scope: Scope;
  readonly setScope: (scope: Scope) => void;
  /** Tells the scope picker that organizations or projects changed. */
  readonly scopesChanged: () => void;
}

/** The signed-in state, provided by the shell. */
export const ConsoleContext = createContext<ConsoleState | undefined>(undefined);

/** The signed-in state; only used below the shell. */
export function useConsole(): ConsoleState {
  const state = useContext(ConsoleContext);
  if (!state) throw new Error('useConsole outside the signed-in shell');
  return state;
}

/** The scope as words, e.g. `project payments/checkout`. */
export function describeScope(scope: Scope): string {
  if (scope.projectIdentifier) return `project ${scope.orgIdentifier}/${scope.projectIdentifier}`;
  if (scope.orgIdentifier) return `organization ${scope.orgIdentifier}`;
  return `account ${scope.accountIdentifier}`;
}

/** The level of a scope. */
export function levelOf(scope: Scope): 'account' | 'organization' | 'project' {
  if (scope.projectIdentifier) return 'project';
  return scope.orgIdentifier ? 'organization' : 'account';
}
