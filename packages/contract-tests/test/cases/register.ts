/** `POST /auth/register`: 201 shape, roles, uniqueness, normalisation, validation. */
import { expect, it } from 'vitest';
import type { ExampleRef } from '../fixture.js';
import { expectError, expectJson, type HttpResponse, request } from '../http.js';
import { decodeJwt } from '../jwt.js';
import { login, newPassword, uniqueName } from '../users.js';

/** Full-width forms of ASCII, which NFKC maps back to ASCII. */
function fullWidth(ascii: string): string {
  return [...ascii]
    .map((c) => {
      const code = c.charCodeAt(0);
      return code > 0x20 && code < 0x7f ? String.fromCharCode(code + 0xfee0) : c;
    })
    .join('');
}

function expectUser(res: HttpResponse, username: string): { id: string; roles: string[] } {
  expectJson(res, 201);
  const body = res.body as { user: Record<string, unknown> };
  expect(Object.keys(body)).toEqual(['user']);
  expect(Object.keys(body.user).sort()).toEqual(['id', 'roles', 'username']);
  expect(body.user.id).toBeTypeOf('string');
  expect((body.user.id as string).length).toBeGreaterThan(0);
  expect(body.user.username).toBe(username);
  expect(body.user.roles).toEqual(['user']);
  return body.user as { id: string; roles: string[] };
}

function expectIssues(res: HttpResponse, paths: string[]): void {
  expectError(res, 400, 'invalid_request');
  const issues = (res.body as { issues?: unknown }).issues;
  expect(Array.isArray(issues), `issues of ${res.text}`).toBe(true);
  for (const issue of issues as Array<Record<string, unknown>>) {
    expect(Object.keys(issue).sort()).toEqual(['message', 'path']);
    expect(issue.path).toBeTypeOf('string');
    expect(issue.message).toBeTypeOf('string');
  }
  const got = (issues as Array<{ path: string }>).map((i) => i.path);
  for (const path of paths) expect(got, `issues of ${res.text}`).toContain(path);
}

/** Registration cases. */
export function registerCases(example: ExampleRef): void {
  it('201 {"user":{"id","username","roles":["user"]}} and no password or hash', async () => {
    const username = uniqueName('reg');
    const password = newPassword();
    const res = await request(example.url, '/auth/register', { json: { username, password } });
    expectUser(res, username);
    expect(res.text).not.toContain(password);
  });

  it('other fields (roles, id, disabled) are ignored: a client cannot make itself admin', async () => {
    const username = uniqueName('roles');
    const password = newPassword();
    const res = await request(example.url, '/auth/register', {
      json: {
        username,
        password,
        roles: ['admin'],
        role: 'admin',
        id: 'chosen-id',
        disabled: false,
      },
    });
    const user = expectUser(res, username);
    expect(user.id).not.toBe('chosen-id');
    const tokens = await login(example.url, { username, password });
    expect(decodeJwt(tokens.access_token).payload.roles).toEqual(['user']);
    const admin = await request(example.url, '/admin', { token: tokens.access_token });
    expectError(admin, 403, 'insufficient_scope');
  });

  it('a taken username → 409 username_taken, compared without regard to case or spaces', async () => {
    const username = uniqueName('Case');
    const password = newPassword();
    expectUser(
      await request(example.url, '/auth/register', { json: { username, password } }),
      username,
    );
    for (const again of [
      username,
      username.toLowerCase(),
      username.toUpperCase(),
      `  ${username}  `,
    ]) {
      const res = await request(example.url, '/auth/register', {
        json: { username: again, password: newPassword() },
      });
      expectError(res, 409, 'username_taken');
    }
  });

  it('usernames are trimmed and NFKC-normalised (full-width letters are the ASCII user)', async () => {
    const username = uniqueName('nfkc');
    const password = newPassword();
    const res = await request(example.url, '/auth/register', {
      json: { username: `  ${fullWidth(username)}\t`, password },
    });
    expectUser(res, username);
    const taken = await request(example.url, '/auth/register', {
      json: { username: username.toUpperCase(), password },
    });
    expectError(taken, 409, 'username_taken');
    // The login looks the name up the same way.
    await login(example.url, { username: ` ${fullWidth(username.toUpperCase())} `, password });
  });

  it('invalid input → 400 invalid_request with error_description and issues [{path,message}]', async () => {
    const good = uniqueName('valid');
    const password = newPassword();
    const cases: Array<[unknown, string[]]> = [
      [{}, ['username', 'password']],
      [{ password }, ['username']],
      [{ username: good }, ['password']],
      [{ username: 'ab', password }, ['username']],
      [{ username: '   ab   ', password }, ['username']],
      [{ username: 'x'.repeat(65), password }, ['username']],
      [{ username: `bad\u0000${good}`, password }, ['username']],
      // Invisible characters that would copy an existing name: a joiner between Latin
      // letters, a variation selector, a zero-width space.
      [{ username: `${good.slice(0, 2)}\u200d${good.slice(2)}`, password }, ['username']],
      [{ username: `${good}\ufe0f`, password }, ['username']],
      [{ username: `${good.slice(0, 2)}\u200b${good.slice(2)}`, password }, ['username']],
      [{ username: 12345, password }, ['username']],
      [{ username: null, password }, ['username']],
      [{ username: good, password: 'short7!' }, ['password']],
      [{ username: good, password: 'p'.repeat(1025) }, ['password']],
      [{ username: good, password: 123456789 }, ['password']],
      [{ username: good, password: ['a-long-password'] }, ['password']],
    ];
    for (const [json, paths] of cases) {
      const res = await request(example.url, '/auth/register', { json });
      expectIssues(res, paths);
    }
    // None of them created the user.
    const ok = await request(example.url, '/auth/register', { json: { username: good, password } });
    expectUser(ok, good);
  });

  it('a 64-character username and an 8-character password are accepted', async () => {
    const username = uniqueName('max').padEnd(64, 'x');
    const res = await request(example.url, '/auth/register', {
      json: { username, password: 'exactly8' },
    });
    expectUser(res, username);
  });
}
