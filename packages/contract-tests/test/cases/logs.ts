/** What the app prints: never a secret, a password or a token. */
import { expect, it } from 'vitest';
import type { ExampleRef, SessionRef } from '../fixture.js';
import { ADMIN, SECRET } from '../harness.js';
import { expectNoLeak } from '../http.js';

/** Checks the output of `example` so far; run it after the other cases of the instance. */
export function logCases(example: ExampleRef, session: SessionRef): void {
  it('the logs hold no secret, password, token or stack trace', () => {
    const output = `${example.app.stdout()}\n${example.app.stderr()}`;
    expectNoLeak(output, 'the logs');
    for (const secret of [
      SECRET,
      ADMIN.password,
      session.user.password,
      session.tokens.access_token,
      session.tokens.refresh_token,
    ]) {
      expect(output.includes(secret)).toBe(false);
    }
  });
}
