import { describe, expect, it } from 'vitest';
import { AuthConfigError, AuthError } from '../src/errors.js';
import { isBearerScheme, parseBearer } from '../src/http/bearer.js';
import { createRoleModel } from '../src/roles/roles.js';
import { displayUsername, usernameKey, usernameProblem } from '../src/username.js';

describe('parseBearer', () => {
  it('matches the scheme without regard to case', () => {
    for (const h of ['Bearer abc', 'bearer abc', 'BEARER abc', 'bEaReR  abc '])
      expect(parseBearer(h)).toBe('abc');
  });
  it('returns null without credentials or for other schemes', () => {
    for (const h of [undefined, null, '', 'Basic dXNlcjpw', 'Bearerabc', 'Token abc', 'Digest x']) {
      expect(parseBearer(h)).toBeNull();
    }
  });
  it('throws invalid_token for a missing, malformed or oversized token', () => {
    for (const h of [
      'Bearer',
      'Bearer ',
      'Bearer a b',
      'Bearer a,b',
      `Bearer ${'a'.repeat(9000)}`,
    ]) {
      expect(() => parseBearer(h)).toThrow(AuthError);
    }
  });
});

describe('usernames', () => {
  it('are trimmed and NFKC-normalised for display, case-folded for the key', () => {
    expect(displayUsername('  Ａｌｉｃｅ ')).toBe('Alice');
    expect(usernameKey('  Ａｌｉｃｅ ')).toBe('alice');
    expect(usernameKey('STRASSE')).toBe(usernameKey('straße'));
  });
  it('canonicalisation is idempotent', () => {
    for (const s of ['Alice', 'ǅ', 'ﬁ', 'İstanbul', 'ß', '㍿', 'Ω'])
      expect(usernameKey(usernameKey(s))).toBe(usernameKey(s));
  });
  it('enforces 3–64 characters after normalisation and no control characters', () => {
    expect(usernameProblem('ab')).toMatch(/at least/);
    expect(usernameProblem('   ab   ')).toMatch(/at least/);
    expect(usernameProblem('a'.repeat(64))).toBeNull();
    expect(usernameProblem('a'.repeat(65))).toMatch(/at most/);
    expect(usernameProblem('😀😀😀')).toBeNull();
    expect(usernameProblem('bad\u0000name')).toMatch(/control/);
  });

  it('refuses names a reader cannot see or that display as another', () => {
    expect(usernameProblem('\u200b\u200b\u200b')).toMatch(/invisible/); // zero-width spaces
    expect(usernameProblem('ali\u200bce')).toMatch(/invisible/);
    expect(usernameProblem('evil\u202Egnp.exe')).toMatch(/invisible/); // right-to-left override
    expect(usernameProblem('a\u2066b\u2069c')).toMatch(/invisible/); // bidi isolates
    expect(usernameProblem('bo\ufeffb')).toMatch(/invisible/); // a BOM inside (trim drops it at the ends)
    expect(usernameProblem('\u0301\u0301\u0301')).toMatch(/letter, digit or symbol/);
    // Joiners stay: an emoji family is one name, and so are scripts that need ZWNJ.
    expect(usernameProblem('👨\u200d👩\u200d👧')).toBeNull();
    expect(usernameProblem('می\u200cخواهم')).toBeNull();
    expect(usernameProblem('José_99')).toBeNull();
    // ...but not between Latin letters, nor other ignorables that copy an existing name.
    for (const spoof of [
      'al\u200dice',
      'al\u200cice',
      'ali\u034fce', // combining grapheme joiner
      'alic\u180be', // Mongolian free variation selector
      'alice\ufe0f', // emoji presentation selector after a letter
      '\u3164\u3164\u3164', // Hangul fillers
      'e\u0301\u200dx',
    ]) {
      expect(usernameProblem(spoof), JSON.stringify(spoof)).toMatch(/invisible/);
    }
    expect(usernameProblem('क्\u200dष')).toBeNull(); // Devanagari virama + ZWJ
    expect(usernameProblem('❤\ufe0f❤\ufe0f❤\ufe0f')).toBeNull();
    expect(usernameProblem('👍🏽\u200d👍')).toBeNull();
  });

  it('refuses names that pass for another without an invisible character', () => {
    const cases: Array<[string, RegExp]> = [
      ['admin\u2800', /invisible/], // Braille pattern blank
      ['ad\u2800min', /invisible/],
      ['ad\u1680min', /invisible/], // Ogham space mark
      ['admin\ufffc', /invisible/], // object replacement character
      ['\ue000admin', /unassigned or private-use/],
      ['admin\u{f0000}', /unassigned or private-use/], // supplementary private use
      ['admin\ufdd0', /unassigned or private-use/], // a noncharacter
      ['admin\u0378', /unassigned or private-use/], // unassigned
      ['ad  min', /two spaces/],
      ['\u0430dmin', /Latin, Greek and Cyrillic/], // a Cyrillic а among Latin letters
      ['p\u0430ypal', /Latin, Greek and Cyrillic/],
      ['\u0391lice', /Latin, Greek and Cyrillic/], // Greek capital alpha
    ];
    for (const [name, problem] of cases) {
      expect(usernameProblem(name), JSON.stringify(name)).toMatch(problem);
    }
    // One script each, spaces one at a time, digits and symbols of any script: all fine.
    for (const name of ['Иван Петров', 'Ελένη', 'ad min', 'José_99', '山田太郎', 'alice.smith']) {
      expect(usernameProblem(name), name).toBeNull();
    }
    expect(usernameProblem('Ωmega')).toMatch(/Latin, Greek and Cyrillic/);
    expect(usernameProblem('user_日本')).toBeNull(); // Latin with Han is no look-alike
  });

  it('refuses lone surrogates, which would be taken for U+FFFD', () => {
    expect(usernameProblem('\ud800abc')).toMatch(/well-formed/);
    expect(usernameProblem('abc\udfff')).toMatch(/well-formed/);
    expect(usernameProblem('a😀bc')).toBeNull();
  });
});

describe('roles', () => {
  const model = createRoleModel({
    superadmin: { inherits: ['admin'] },
    admin: { inherits: ['user'], permissions: ['users:write'] },
    user: { permissions: ['profile:read'] },
  });
  it('inherit transitively', () => {
    expect(model.hasRole({ roles: ['superadmin'] }, 'user')).toBe(true);
    expect(model.hasRole({ roles: ['user'] }, 'admin')).toBe(false);
    expect([...model.effectiveRoles({ roles: ['admin'] })].sort()).toEqual(['admin', 'user']);
    expect(model.can({ roles: ['superadmin'] }, 'profile:read')).toBe(true);
  });
  it('unknown roles are plain names', () => {
    expect(model.hasRole({ roles: ['editor'] }, 'editor')).toBe(true);
    expect(model.can({ roles: ['editor'] }, 'users:write')).toBe(false);
  });
  it('authorize: any listed role, every listed permission', () => {
    expect(() => model.authorize({ roles: ['user'] }, { role: ['admin', 'user'] })).not.toThrow();
    expect(() =>
      model.authorize({ roles: ['user'] }, { permission: ['profile:read', 'users:write'] }),
    ).toThrow(expect.objectContaining({ code: 'insufficient_scope' }));
  });
});

describe('requirements naming roles or permissions the roles option lacks', () => {
  const model = createRoleModel({
    admin: { inherits: ['user'], permissions: ['users:write'] },
    user: { permissions: ['profile:read'] },
  });
  it('check: an unknown role or permission is a config error naming it', () => {
    expect(() => model.check({ role: 'amdin' })).toThrow(AuthConfigError);
    expect(() => model.check({ role: ['admin', 'amdin'] })).toThrow(/role "amdin"/);
    expect(() => model.check({ permission: 'users:wirte' })).toThrow(/permission "users:wirte"/);
    expect(() => model.check({ role: 'user', permission: ['profile:read'] })).not.toThrow();
  });
  it('authorize: a refusal caused by an unknown name is a config error, not a 403', () => {
    expect(() => model.authorize({ roles: ['admin'] }, { role: 'amdin' })).toThrow(AuthConfigError);
    expect(() => model.authorize({ roles: ['user'] }, { permission: 'nope' })).toThrow(
      AuthConfigError,
    );
    // Known names still answer insufficient_scope.
    expect(() => model.authorize({ roles: ['user'] }, { role: 'admin' })).toThrow(
      expect.objectContaining({ code: 'insufficient_scope' }),
    );
  });
  it('without a roles option, names are free-form and nothing is checked', () => {
    const free = createRoleModel();
    expect(() => free.check({ role: 'editor', permission: 'anything' })).not.toThrow();
    expect(free.unknownRoles(['editor'])).toEqual([]);
    expect(() => free.authorize({ roles: ['user'] }, { role: 'editor' })).toThrow(
      expect.objectContaining({ code: 'insufficient_scope' }),
    );
  });
  it('unknownRoles: the names the option does not define', () => {
    expect(model.unknownRoles(['user', 'superuser', 'admin'])).toEqual(['superuser']);
  });
});

describe('isBearerScheme', () => {
  it('is true for the Bearer scheme in any case, with or without a usable token', () => {
    for (const header of [
      'Bearer abc',
      'bearer abc',
      'BEARER abc',
      '  Bearer   abc ',
      'Bearer',
      'Bearer ',
    ]) {
      expect(isBearerScheme(header), JSON.stringify(header)).toBe(true);
    }
  });

  it('is false for no header and for every other scheme', () => {
    for (const header of [
      undefined,
      null,
      '',
      'Basic dXNlcjpwYXNz',
      'Bearerx abc',
      'Bear abc',
      'Bearer\tabc',
      'Token abc',
    ]) {
      expect(isBearerScheme(header), JSON.stringify(header)).toBe(false);
    }
  });
});
