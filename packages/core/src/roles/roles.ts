/**
 * Roles with inheritance and permissions, resolved once into lookup sets; every check is
 * pure and synchronous.
 */
import { AuthConfigError, AuthError } from '../errors.js';

/** One role of the `roles` option. */
export interface RoleDefinition {
  /** Roles whose grants this role also has (`admin` inherits `user`). */
  inherits?: readonly string[];
  /** Permissions this role grants directly. */
  permissions?: readonly string[];
}

/** The `roles` option: role name → definition. */
export type RolesOption = Readonly<Record<string, RoleDefinition>>;

/** Anything carrying role names, such as a `Principal`. */
export interface HasRoles {
  readonly roles: readonly string[];
}

/** What {@link RoleModel.authorize} requires; every given part must hold. */
export interface Requirement {
  /** One of these roles (directly or inherited). */
  role?: string | readonly string[];
  /** Every one of these permissions. */
  permission?: string | readonly string[];
}

/** Resolved role model. */
export interface RoleModel {
  /** True when any of the holder's roles is, or inherits, `role`. */
  hasRole(holder: HasRoles, role: string): boolean;
  /** True when the holder's roles grant `permission`. */
  can(holder: HasRoles, permission: string): boolean;
  /** Every role the holder has, inherited ones included. */
  effectiveRoles(holder: HasRoles): ReadonlySet<string>;
  /**
   * Throws `AuthError('insufficient_scope')` unless the holder meets `requirement`. A
   * requirement that fails because it names a role or permission the roles option does not
   * define (a typo that would refuse everyone) throws `AuthConfigError` naming it instead.
   * @throws AuthError
   * @throws AuthConfigError
   */
  authorize(holder: HasRoles, requirement: Requirement): void;
  /**
   * Throws unless every role and permission `requirement` names is defined, when a roles
   * option defines any (without one, role names are free-form and nothing is checked).
   * @throws AuthConfigError naming the unknown role or permission
   */
  check(requirement: Requirement): void;
  /** The names among `roles` that the roles option does not define; none without one. */
  unknownRoles(roles: readonly string[]): string[];
}

function list(value: string | readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

function closure(roles: RolesOption): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  const visit = (name: string, path: string[]): Set<string> => {
    const done = result.get(name);
    if (done) return done;
    if (path.includes(name)) {
      throw new AuthConfigError(`roles.${name}.inherits`, `cycle ${[...path, name].join(' → ')}`);
    }
    const set = new Set<string>([name]);
    for (const parent of roles[name]?.inherits ?? []) {
      if (!Object.hasOwn(roles, parent)) {
        throw new AuthConfigError(`roles.${name}.inherits`, `unknown role "${parent}"`);
      }
      for (const r of visit(parent, [...path, name])) set.add(r);
    }
    result.set(name, set);
    return set;
  };
  for (const name of Object.keys(roles)) visit(name, []);
  return result;
}

/**
 * Resolves a roles option.
 * @throws AuthConfigError on an unknown inherited role or a cycle
 * @example
 * ```ts
 * const model = createRoleModel({ admin: { inherits: ['user'] }, user: {} });
 * model.hasRole({ roles: ['admin'] }, 'user'); // true
 * ```
 */
export function createRoleModel(roles: RolesOption = {}): RoleModel {
  const inherited = closure(roles);
  const permissions = new Map<string, Set<string>>();
  for (const [name, set] of inherited) {
    const granted = new Set<string>();
    for (const r of set) for (const p of roles[r]?.permissions ?? []) granted.add(p);
    permissions.set(name, granted);
  }
  const effectiveRoles = (holder: HasRoles): Set<string> => {
    const out = new Set<string>();
    for (const r of holder.roles) for (const e of inherited.get(r) ?? [r]) out.add(e);
    return out;
  };
  const hasRole = (holder: HasRoles, role: string): boolean =>
    holder.roles.some((r) => r === role || (inherited.get(r)?.has(role) ?? false));
  const can = (holder: HasRoles, permission: string): boolean =>
    holder.roles.some((r) => permissions.get(r)?.has(permission) ?? false);
  const defined = Object.keys(roles);
  const granted = new Set([...permissions.values()].flatMap((set) => [...set]));
  const unknownRoles = (names: readonly string[]): string[] =>
    defined.length === 0 ? [] : names.filter((name) => !inherited.has(name));
  const check = (requirement: Requirement): void => {
    const [role] = unknownRoles(list(requirement.role));
    if (role !== undefined) {
      throw new AuthConfigError(
        'roles',
        `a requirement names role "${role}", which is not defined (defined: ${defined.join(', ')})`,
      );
    }
    if (defined.length === 0) return;
    const permission = list(requirement.permission).find((p) => !granted.has(p));
    if (permission !== undefined) {
      throw new AuthConfigError(
        'roles',
        `a requirement names permission "${permission}", which no role grants`,
      );
    }
  };
  return {
    hasRole,
    can,
    effectiveRoles,
    check,
    unknownRoles,
    authorize(holder, requirement) {
      const roleList = list(requirement.role);
      if (roleList.length > 0 && !roleList.some((r) => hasRole(holder, r))) {
        check(requirement);
        throw new AuthError('insufficient_scope', {
          description: `requires role ${roleList.map((r) => `'${r}'`).join(' or ')}`,
        });
      }
      for (const p of list(requirement.permission)) {
        if (!can(holder, p)) {
          check(requirement);
          throw new AuthError('insufficient_scope', { description: `requires permission '${p}'` });
        }
      }
    },
  };
}
