/** The user-store cases of the storage contract. */

import { expect } from 'vitest';
import { AuthError } from '../errors.js';
import {
  type ContractCase,
  isUsernameTaken,
  MINUTE,
  newUser,
  scribble,
  T0,
  uid,
} from './contract-fixtures.js';

/** Cases of `UserStore`, by name. */
export const userCases = {
  'users: create, then find by key and by id': async (s) => {
    const user = newUser();
    expect(await s.users.createUser(user)).toEqual(user);
    expect(await s.users.findUserByUsername(user.usernameKey)).toEqual(user);
    expect(await s.users.findUserById(user.id)).toEqual(user);
    expect(await s.users.findUserByUsername(`missing-${uid()}`)).toBeNull();
    expect(await s.users.findUserById(uid())).toBeNull();
  },

  'users: a taken username key rejects with username_taken': async (s) => {
    const first = newUser();
    await s.users.createUser(first);
    const second = { ...newUser(), usernameKey: first.usernameKey };
    const error = await s.users.createUser(second).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ code: 'username_taken' });
    expect(await s.users.findUserByUsername(first.usernameKey)).toEqual(first);
    expect(await s.users.findUserById(second.id)).toBeNull();
  },

  'users: of 8 parallel creates of one key, exactly one succeeds': async (s) => {
    const usernameKey = `race-${uid()}`;
    const users = Array.from({ length: 8 }, () => ({ ...newUser(), usernameKey }));
    const settled = await Promise.allSettled(users.map((user) => s.users.createUser(user)));
    const winners = users.filter((_, i) => settled[i]?.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    const reasons = settled.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(reasons).toHaveLength(7);
    for (const reason of reasons) expect(isUsernameTaken(reason), String(reason)).toBe(true);
    const winner = winners[0];
    expect(await s.users.findUserByUsername(usernameKey)).toEqual(winner);
    for (const user of users) {
      if (user !== winner) expect(await s.users.findUserById(user.id)).toBeNull();
    }
  },

  'users: update applies the patch and sets updatedAt': async (s) => {
    const user = newUser();
    await s.users.createUser(user);
    const patched = await s.users.updateUser(
      user.id,
      { roles: ['admin', 'user'], disabled: true },
      T0 + MINUTE,
    );
    const expected = { ...user, roles: ['admin', 'user'], disabled: true, updatedAt: T0 + MINUTE };
    expect(patched).toEqual(expected);
    expect(await s.users.findUserById(user.id)).toEqual(expected);
    const rehashed = await s.users.updateUser(user.id, { passwordHash: 'new' }, T0 + 2 * MINUTE);
    const next = { ...expected, passwordHash: 'new', updatedAt: T0 + 2 * MINUTE };
    expect(rehashed).toEqual(next);
    expect(await s.users.findUserByUsername(user.usernameKey)).toEqual(next);
    expect(await s.users.updateUser(uid(), { disabled: true }, T0)).toBeNull();
  },

  'users: delete removes the user and frees the key': async (s) => {
    const user = newUser();
    await s.users.createUser(user);
    expect(await s.users.deleteUser(user.id)).toBe(true);
    expect(await s.users.findUserById(user.id)).toBeNull();
    expect(await s.users.findUserByUsername(user.usernameKey)).toBeNull();
    expect(await s.users.deleteUser(user.id)).toBe(false);
    const again = { ...newUser(), usernameKey: user.usernameKey };
    expect(await s.users.createUser(again)).toEqual(again);
  },

  'users: records are not live references': async (s) => {
    const user = newUser();
    const stored = structuredClone(user);
    const created = await s.users.createUser(user);
    user.roles.push('admin');
    user.disabled = true;
    scribble(created);
    const found = await s.users.findUserById(user.id);
    expect(found).toEqual(stored);
    scribble(found);
    expect(await s.users.findUserByUsername(stored.usernameKey)).toEqual(stored);
    const roles = ['editor'];
    const updated = await s.users.updateUser(stored.id, { roles }, T0 + MINUTE);
    roles.push('admin');
    scribble(updated);
    const expected = { ...stored, roles: ['editor'], updatedAt: T0 + MINUTE };
    expect(await s.users.findUserById(stored.id)).toEqual(expected);
  },
} satisfies Record<string, ContractCase>;
