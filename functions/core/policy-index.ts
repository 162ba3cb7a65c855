import { PersistentMap, type PersistentMapDraft } from './persistent-map.js';
import type { PolicySnapshot, ScopeMembership } from './policy-snapshot.js';
import {
  isAllUsersGroupIdentifier,
  type ServiceAccount,
  type UserGroup,
  type UserGroupHead,
  type UserGroupMember,
} from './principal.js';
import type { CustomResourceGroup } from './resource-group.js';
import type { CustomRole } from './role.js';
import type { RoleAssignment } from './role-assignment.js';
import { ancestorAtLevel, type Scope, type ScopePath, scopePath, selfAndAncestors } from './scope.js';

/**
 * The indexes the evaluator decides from, as persistent (immutable, structurally shared) maps: a
 * state derived from another by {@link PolicyIndex.withChange} shares everything the change did not
 * touch, so applying a change costs O(size of the change), never O(account), and the state it was
 * derived from keeps serving unchanged (DESIGN §4 "Size independence"). Small per-key collections
 * (a principal's assignments, a user's groups and scopes) are arrays copied on write; large ones (a
 * group incarnation's members, a scope's members) are persistent maps themselves.
 *
 * A user group and its members are separate entities (one per member, DESIGN §5): a member counts
 * only while its group's current incarnation is the one it was stored under, so members of a
 * replaced member set, or of a deleted group, grant nothing even while their items still exist.
 */

/** One entity an access decision may depend on, as the store holds it under one key. */
export type PolicyEntity =
  | { readonly kind: 'customRole'; readonly value: CustomRole }
  | { readonly kind: 'customResourceGroup'; readonly value: CustomResourceGroup }
  | { readonly kind: 'roleAssignment'; readonly value: RoleAssignment }
  | { readonly kind: 'userGroup'; readonly value: UserGroupHead }
  | { readonly kind: 'userGroupMember'; readonly value: UserGroupMember }
  | { readonly kind: 'serviceAccount'; readonly value: ServiceAccount }
  | { readonly kind: 'scopeMembership'; readonly value: ScopeMembership };

/**
 * A change to an account's policy entities, by key (the store uses item sort keys): every key of
 * `removed` is dropped (absent keys are ignored), then every entry of `added` is put, replacing what
 * the key held.
 */
export interface PolicyChange {
  readonly removed: readonly string[];
  readonly added: readonly (readonly [key: string, entity: PolicyEntity])[];
}

/** A definition with the key of the entity that put it (so that only removing that entity drops it). */
export interface KeyedDefinition<T> {
  readonly entityKey: string;
  readonly value: T;
}

/**
 * The persistent maps an index consists of, by name: what a snapshot stores (and restores with
 * {@link PolicyIndex.restore}). Every value is plain data (JSON), apart from the nested maps of
 * `membersByIncarnation` and `membersByScope`.
 */
export interface PolicyIndexMaps {
  readonly entities: PersistentMap<PolicyEntity>;
  readonly customRoles: PersistentMap<KeyedDefinition<CustomRole>>;
  readonly customResourceGroups: PersistentMap<KeyedDefinition<CustomResourceGroup>>;
  /** Enabled assignments reaching a principal key, with their entity keys, in insertion order. */
  readonly assignmentsByPrincipal: PersistentMap<readonly (readonly [string, RoleAssignment])[]>;
  readonly enabledAssignments: PersistentMap<RoleAssignment>;
  /** user → the group incarnations she is stored as a member of (current or not), in insertion order. */
  readonly groupsByUser: PersistentMap<readonly GroupMembershipEntry[]>;
  /** group key → the entity key of its group and its current incarnation. */
  readonly groupIncarnations: PersistentMap<{ readonly entityKey: string; readonly incarnation: string }>;
  /** incarnation → member → how many member entities name her (duplicates under other keys are counted). */
  readonly membersByIncarnation: PersistentMap<PersistentMap<number>>;
  /** user → the scopes she was added to directly, by membership key (membership of their ancestors is implied). */
  readonly directScopesByUser: PersistentMap<readonly (readonly [string, Scope])[]>;
  /** scope path → user → how many of the user's direct memberships lie at or below it. */
  readonly membersByScope: PersistentMap<PersistentMap<number>>;
}

type Indexes = PolicyIndexMaps;

/** One member entity as {@link PolicyIndex.groupsOf} reads it. */
export interface GroupMembershipEntry {
  readonly entityKey: string;
  readonly key: string;
  readonly identifier: string;
  readonly incarnation: string;
}

/** The key of a user group (or an assignment's group principal): `<group scope path>#<identifier>`. */
export function groupKey(groupScope: ScopePath, identifier: string): string {
  return `${groupScope}#${identifier}`;
}

/** Where a user-group assignment's group lives: the ancestor at `principal.scopeLevel` (default: its own level). */
export function groupScopeOf(assignment: RoleAssignment): Scope | undefined {
  return ancestorAtLevel(assignment.scope, assignment.principal.scopeLevel ?? assignment.scope.level);
}

/** The principal key an assignment is indexed under (`USER#id`, `SERVICE_ACCOUNT#id`, `USER_GROUP#<group key>`). */
export function assignmentPrincipalKey(assignment: RoleAssignment): string | undefined {
  const { principal } = assignment;
  if (principal.type !== 'USER_GROUP') return `${principal.type}#${principal.identifier}`;
  const groupScope = groupScopeOf(assignment);
  return groupScope ? `USER_GROUP#${groupKey(scopePath(groupScope), principal.identifier)}` : undefined;
}

/** The key a snapshot entity gets in an index built by {@link PolicyIndex.fromSnapshot}. */
function snapshotKey(entity: PolicyEntity): string {
  switch (entity.kind) {
    case 'customRole':
    case 'customResourceGroup':
    case 'roleAssignment':
    case 'userGroup':
      return `${entity.kind}#${scopePath(entity.value.scope)}#${entity.value.identifier}`;
    case 'userGroupMember':
      return `${entity.kind}#${entity.value.incarnation}#${entity.value.userId}`;
    case 'serviceAccount':
      return `${entity.kind}#${entity.value.identifier}`;
    case 'scopeMembership':
      return `${entity.kind}#${entity.value.userId}#${scopePath(entity.value.scope)}`;
  }
}

/**
 * The incarnation a snapshot's group gets in {@link snapshotEntities}: derived from the group's
 * key, as a snapshot holds one member set per group.
 */
export function snapshotIncarnation(group: UserGroup): string {
  return `snapshot:${groupKey(scopePath(group.scope), group.identifier)}`;
}

/** A user group of the domain shape as the entities the index holds: its head and one entity per member. */
export function userGroupEntities(group: UserGroup, incarnation: string): PolicyEntity[] {
  const { users, ...head } = group;
  return [
    { kind: 'userGroup', value: { ...head, incarnation } },
    ...[...new Set(users)].map((userId) => ({
      kind: 'userGroupMember' as const,
      value: { groupScope: group.scope, groupIdentifier: group.identifier, incarnation, userId },
    })),
  ];
}

/** Every entity of a snapshot, in the snapshot's order (a group's members right after it). */
export function snapshotEntities(snapshot: PolicySnapshot): PolicyEntity[] {
  return [
    ...snapshot.customRoles.map((value) => ({ kind: 'customRole' as const, value })),
    ...snapshot.customResourceGroups.map((value) => ({ kind: 'customResourceGroup' as const, value })),
    ...snapshot.userGroups.flatMap((group) => userGroupEntities(group, snapshotIncarnation(group))),
    ...snapshot.serviceAccounts.map((value) => ({ kind: 'serviceAccount' as const, value })),
    ...snapshot.scopeMemberships.map((value) => ({ kind: 'scopeMembership' as const, value })),
    ...snapshot.roleAssignments.map((value) => ({ kind: 'roleAssignment' as const, value })),
  ];
}

/**
 * One account's policy entities and the indexes over them. Immutable: {@link withChange} returns a
 * new index and leaves this one as it was.
 */
export class PolicyIndex {
  private constructor(
    readonly accountIdentifier: string,
    private readonly indexes: Indexes,
    /** Whether the last change touched a custom role or resource group (compiled grants are then stale). */
    readonly definitionsChanged: boolean,
  ) {}

  /** An index of no entities. */
  static empty(accountIdentifier: string): PolicyIndex {
    const empty = PersistentMap.empty<never>();
    return new PolicyIndex(
      accountIdentifier,
      {
        entities: empty,
        customRoles: empty,
        customResourceGroups: empty,
        assignmentsByPrincipal: empty,
        enabledAssignments: empty,
        groupsByUser: empty,
        groupIncarnations: empty,
        membersByIncarnation: empty,
        directScopesByUser: empty,
        membersByScope: empty,
      },
      true,
    );
  }

  /**
   * The index made of `maps` (e.g. restored from a snapshot, whose maps decode their buckets on
   * first use); they must be the maps of an index, as {@link maps} returned them.
   */
  static restore(accountIdentifier: string, maps: PolicyIndexMaps): PolicyIndex {
    return new PolicyIndex(accountIdentifier, maps, true);
  }

  /** The persistent maps of this index, by name (for a snapshot). */
  maps(): PolicyIndexMaps {
    return this.indexes;
  }

  /** Indexes keyed entities (a store load); later entries with the same key replace earlier ones. */
  static fromEntries(
    accountIdentifier: string,
    entries: Iterable<readonly [key: string, entity: PolicyEntity]>,
  ): PolicyIndex {
    return PolicyIndex.empty(accountIdentifier).withChange({ removed: [], added: [...entries] });
  }

  /** Indexes a snapshot, each entity under a key derived from its identity. */
  static fromSnapshot(snapshot: PolicySnapshot): PolicyIndex {
    return PolicyIndex.fromEntries(
      snapshot.accountIdentifier,
      snapshotEntities(snapshot).map((entity) => [snapshotKey(entity), entity] as const),
    );
  }

  /** The entity held under `key`. */
  entity(key: string): PolicyEntity | undefined {
    return this.indexes.entities.get(key);
  }

  /** The number of entities held. */
  get size(): number {
    return this.indexes.entities.size;
  }

  /** The custom role defined at `scope` with `identifier`. */
  customRole(scope: Scope, identifier: string): CustomRole | undefined {
    return this.indexes.customRoles.get(`${scopePath(scope)}#${identifier}`)?.value;
  }

  /** The custom resource group defined at `scope` with `identifier`. */
  customResourceGroup(scope: Scope, identifier: string): CustomResourceGroup | undefined {
    return this.indexes.customResourceGroups.get(`${scopePath(scope)}#${identifier}`)?.value;
  }

  /** The enabled assignments naming a principal key, in insertion order. */
  assignmentsOf(principalKey: string): Iterable<RoleAssignment> {
    return (this.indexes.assignmentsByPrincipal.get(principalKey) ?? []).map(([, assignment]) => assignment);
  }

  /** Every enabled assignment whose principal resolves, in insertion order. */
  enabledAssignments(): Iterable<RoleAssignment> {
    return this.indexes.enabledAssignments.values();
  }

  /** The user groups (key and identifier) a user is a member of: those whose current incarnation names her. */
  groupsOf(userId: string): { key: string; identifier: string }[] {
    const groups = new Map<string, { key: string; identifier: string }>();
    for (const entry of this.indexes.groupsByUser.get(userId) ?? []) {
      if (this.incarnationOf(entry.key) !== entry.incarnation || isAllUsersGroupIdentifier(entry.identifier))
        continue;
      groups.set(entry.key, { key: entry.key, identifier: entry.identifier });
    }
    return [...groups.values()];
  }

  /** The current incarnation of the user group with key `key` (`undefined` when there is no such group). */
  incarnationOf(key: string): string | undefined {
    return this.indexes.groupIncarnations.get(key)?.incarnation;
  }

  /** The members of the user group with key `key` (those of its current incarnation). */
  membersOf(key: string): string[] {
    const incarnation = this.incarnationOf(key);
    return incarnation === undefined ? [] : this.membersOfIncarnation(incarnation);
  }

  /** The users stored as members of `incarnation`, whether or not a group currently has it. */
  membersOfIncarnation(incarnation: string): string[] {
    return [...(this.indexes.membersByIncarnation.get(incarnation)?.keys() ?? [])];
  }

  /** The number of members of `incarnation`. */
  memberCountOf(incarnation: string): number {
    return this.indexes.membersByIncarnation.get(incarnation)?.size ?? 0;
  }

  /** Whether `userId` is stored as a member of `incarnation`. */
  hasMember(incarnation: string, userId: string): boolean {
    return this.indexes.membersByIncarnation.get(incarnation)?.has(userId) ?? false;
  }

  /** The scopes a user is a member of: those she was added to and all their ancestors. */
  memberScopesOf(userId: string): Map<ScopePath, Scope> {
    const scopes = new Map<ScopePath, Scope>();
    for (const [, scope] of this.indexes.directScopesByUser.get(userId) ?? []) {
      for (const ancestor of selfAndAncestors(scope)) scopes.set(scopePath(ancestor), ancestor);
    }
    return scopes;
  }

  /** The users that are members of the scope at `path` (directly or through a descendant scope). */
  usersOfScope(path: ScopePath): string[] {
    return [...(this.indexes.membersByScope.get(path)?.keys() ?? [])];
  }

  /** This index with `change` applied; this index is left as it was. O(size of the change). */
  withChange(change: PolicyChange): PolicyIndex {
    const draft = new DraftIndexes(this.indexes);
    let definitionsChanged = false;
    const touch = (entity: PolicyEntity | undefined) => {
      if (entity?.kind === 'customRole' || entity?.kind === 'customResourceGroup') definitionsChanged = true;
    };
    for (const key of change.removed) {
      const old = draft.entities.get(key);
      if (!old) continue;
      touch(old);
      unindex(draft, key, old);
      draft.entities.delete(key);
    }
    for (const [key, entity] of change.added) {
      const old = draft.entities.get(key);
      if (old) {
        touch(old);
        unindex(draft, key, old);
      }
      touch(entity);
      index(draft, key, entity);
      draft.entities.set(key, entity);
    }
    return new PolicyIndex(this.accountIdentifier, draft.freeze(), definitionsChanged);
  }
}

type ListName = 'assignmentsByPrincipal' | 'groupsByUser' | 'directScopesByUser';
type ListEntry<N extends ListName> = Indexes[N] extends PersistentMap<readonly (infer E)[]> ? E : never;

type NestedName = 'membersByIncarnation' | 'membersByScope';
type NestedValue<N extends NestedName> = Indexes[N] extends PersistentMap<PersistentMap<infer V>> ? V : never;

/**
 * The indexes while one change is applied: each touched map is a draft that copies only the buckets
 * it writes, and each touched nested map (a group's or a scope's members) is a draft too; arrays are
 * replaced, never mutated. {@link freeze} returns the persistent result; empty entries are dropped.
 */
class DraftIndexes {
  readonly entities: PersistentMapDraft<PolicyEntity>;
  readonly customRoles: PersistentMapDraft<KeyedDefinition<CustomRole>>;
  readonly customResourceGroups: PersistentMapDraft<KeyedDefinition<CustomResourceGroup>>;
  readonly enabledAssignments: PersistentMapDraft<RoleAssignment>;
  readonly assignmentsByPrincipal: PersistentMapDraft<readonly (readonly [string, RoleAssignment])[]>;
  readonly groupsByUser: PersistentMapDraft<readonly GroupMembershipEntry[]>;
  readonly directScopesByUser: PersistentMapDraft<readonly (readonly [string, Scope])[]>;
  readonly groupIncarnations: PersistentMapDraft<{
    readonly entityKey: string;
    readonly incarnation: string;
  }>;
  private readonly membersByIncarnation: PersistentMapDraft<PersistentMap<number>>;
  private readonly membersByScope: PersistentMapDraft<PersistentMap<number>>;
  private readonly ownedLists: Record<ListName, Map<string, unknown[]>> = {
    assignmentsByPrincipal: new Map(),
    groupsByUser: new Map(),
    directScopesByUser: new Map(),
  };
  private readonly nestedDrafts: Record<NestedName, Map<string, PersistentMapDraft<unknown>>> = {
    membersByIncarnation: new Map(),
    membersByScope: new Map(),
  };

  constructor(indexes: Indexes) {
    this.entities = indexes.entities.edit();
    this.customRoles = indexes.customRoles.edit();
    this.customResourceGroups = indexes.customResourceGroups.edit();
    this.enabledAssignments = indexes.enabledAssignments.edit();
    this.assignmentsByPrincipal = indexes.assignmentsByPrincipal.edit();
    this.groupsByUser = indexes.groupsByUser.edit();
    this.directScopesByUser = indexes.directScopesByUser.edit();
    this.groupIncarnations = indexes.groupIncarnations.edit();
    this.membersByIncarnation = indexes.membersByIncarnation.edit();
    this.membersByScope = indexes.membersByScope.edit();
  }

  /** The draft of entry `key` of a nested index (empty when absent). */
  nested<N extends NestedName>(name: N, key: string): PersistentMapDraft<NestedValue<N>> {
    const drafts = this.nestedDrafts[name];
    let draft = drafts.get(key);
    if (!draft) {
      const outer = this.outerOf(name);
      draft = (outer.get(key) ?? PersistentMap.empty<unknown>()).edit();
      drafts.set(key, draft);
    }
    return draft as PersistentMapDraft<NestedValue<N>>;
  }

  private outerOf(name: NestedName): PersistentMapDraft<PersistentMap<unknown>> {
    return name === 'membersByScope' ? this.membersByScope : this.membersByIncarnation;
  }

  /** Appends `entry` to list `key` of index `name` (copied once per change, then appended in place). */
  push<N extends ListName>(name: N, key: string, entry: ListEntry<N>): void {
    this.ownedList(name, key).push(entry);
  }

  /** Removes the entries of list `key` of index `name` that `matches`. */
  removeWhere<N extends ListName>(name: N, key: string, matches: (entry: ListEntry<N>) => boolean): void {
    const list = this.ownedList(name, key);
    const kept = list.filter((entry) => !matches(entry));
    list.length = 0;
    list.push(...kept);
  }

  private ownedList<N extends ListName>(name: N, key: string): ListEntry<N>[] {
    const owned = this.ownedLists[name];
    let list = owned.get(key);
    if (!list) {
      const draft = this[name] as PersistentMapDraft<readonly unknown[]>;
      list = [...(draft.get(key) ?? [])];
      draft.set(key, list);
      owned.set(key, list);
    }
    return list as ListEntry<N>[];
  }

  /** The change's result as persistent maps. */
  freeze(): Indexes {
    for (const name of ['assignmentsByPrincipal', 'groupsByUser', 'directScopesByUser'] as const) {
      const draft = this[name] as PersistentMapDraft<readonly unknown[]>;
      for (const [key, list] of this.ownedLists[name]) if (list.length === 0) draft.delete(key);
    }
    for (const name of ['membersByIncarnation', 'membersByScope'] as const) {
      const outer = this.outerOf(name);
      for (const [key, draft] of this.nestedDrafts[name]) {
        if (draft.size === 0) outer.delete(key);
        else outer.set(key, draft.freeze());
      }
    }
    return {
      entities: this.entities.freeze(),
      customRoles: this.customRoles.freeze(),
      customResourceGroups: this.customResourceGroups.freeze(),
      enabledAssignments: this.enabledAssignments.freeze(),
      assignmentsByPrincipal: this.assignmentsByPrincipal.freeze(),
      groupsByUser: this.groupsByUser.freeze(),
      directScopesByUser: this.directScopesByUser.freeze(),
      groupIncarnations: this.groupIncarnations.freeze(),
      membersByIncarnation: this.membersByIncarnation.freeze(),
      membersByScope: this.membersByScope.freeze(),
    };
  }
}

function index(draft: DraftIndexes, key: string, entity: PolicyEntity): void {
  switch (entity.kind) {
    case 'customRole':
      draft.customRoles.set(`${scopePath(entity.value.scope)}#${entity.value.identifier}`, {
        entityKey: key,
        value: entity.value,
      });
      return;
    case 'customResourceGroup':
      draft.customResourceGroups.set(`${scopePath(entity.value.scope)}#${entity.value.identifier}`, {
        entityKey: key,
        value: entity.value,
      });
      return;
    case 'roleAssignment': {
      const assignment = entity.value;
      if (assignment.disabled) return;
      const principal = assignmentPrincipalKey(assignment);
      if (principal === undefined) return;
      draft.enabledAssignments.set(key, assignment);
      draft.push('assignmentsByPrincipal', principal, [key, assignment]);
      return;
    }
    case 'userGroup': {
      const group = entity.value;
      if (isAllUsersGroupIdentifier(group.identifier)) return;
      const gkey = groupKey(scopePath(group.scope), group.identifier);
      draft.groupIncarnations.set(gkey, { entityKey: key, incarnation: group.incarnation });
      return;
    }
    case 'userGroupMember': {
      const member = entity.value;
      const members = draft.nested('membersByIncarnation', member.incarnation);
      members.set(member.userId, (members.get(member.userId) ?? 0) + 1);
      draft.push('groupsByUser', member.userId, {
        entityKey: key,
        key: groupKey(scopePath(member.groupScope), member.groupIdentifier),
        identifier: member.groupIdentifier,
        incarnation: member.incarnation,
      });
      return;
    }
    case 'serviceAccount':
      return;
    case 'scopeMembership': {
      const { userId, scope } = entity.value;
      draft.push('directScopesByUser', userId, [key, scope]);
      for (const ancestor of selfAndAncestors(scope)) {
        const members = draft.nested('membersByScope', scopePath(ancestor));
        members.set(userId, (members.get(userId) ?? 0) + 1);
      }
      return;
    }
  }
}

function unindex(draft: DraftIndexes, key: string, entity: PolicyEntity): void {
  switch (entity.kind) {
    case 'customRole': {
      const roleKey = `${scopePath(entity.value.scope)}#${entity.value.identifier}`;
      if (draft.customRoles.get(roleKey)?.entityKey === key) draft.customRoles.delete(roleKey);
      return;
    }
    case 'customResourceGroup': {
      const groupKeyOfRg = `${scopePath(entity.value.scope)}#${entity.value.identifier}`;
      if (draft.customResourceGroups.get(groupKeyOfRg)?.entityKey === key)
        draft.customResourceGroups.delete(groupKeyOfRg);
      return;
    }
    case 'roleAssignment': {
      if (!draft.enabledAssignments.has(key)) return;
      draft.enabledAssignments.delete(key);
      const principal = assignmentPrincipalKey(entity.value);
      if (principal === undefined) return;
      draft.removeWhere('assignmentsByPrincipal', principal, ([entryKey]) => entryKey === key);
      return;
    }
    case 'userGroup': {
      const group = entity.value;
      const gkey = groupKey(scopePath(group.scope), group.identifier);
      if (draft.groupIncarnations.get(gkey)?.entityKey === key) draft.groupIncarnations.delete(gkey);
      return;
    }
    case 'userGroupMember': {
      const member = entity.value;
      const members = draft.nested('membersByIncarnation', member.incarnation);
      const count = (members.get(member.userId) ?? 0) - 1;
      if (count > 0) members.set(member.userId, count);
      else members.delete(member.userId);
      draft.removeWhere('groupsByUser', member.userId, (entry) => entry.entityKey === key);
      return;
    }
    case 'serviceAccount':
      return;
    case 'scopeMembership': {
      const { userId, scope } = entity.value;
      draft.removeWhere('directScopesByUser', userId, ([entryKey]) => entryKey === key);
      for (const ancestor of selfAndAncestors(scope)) {
        const members = draft.nested('membersByScope', scopePath(ancestor));
        const count = (members.get(userId) ?? 0) - 1;
        if (count > 0) members.set(userId, count);
        else members.delete(userId);
      }
      return;
    }
  }
}
