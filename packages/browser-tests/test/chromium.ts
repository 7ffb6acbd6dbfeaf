/**
 * Debian's Chromium (`apt-get install chromium`) driven by `playwright-core`, which never
 * downloads a browser of its own. In CI a missing Chromium fails the tests with a message
 * that says how to install it (`.ci/run` installs it). On a developer's machine without it
 * the suite is skipped, its title saying why, so `pnpm test` still runs everything else.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Where Debian installs Chromium. */
export const CHROMIUM = '/usr/bin/chromium';

/** Why the browser suite is skipped here, or `undefined` when it runs. Never skipped in CI. */
export const SKIP_REASON =
  existsSync(CHROMIUM) || process.env.CI === 'true'
    ? undefined
    : `no Chromium at ${CHROMIUM} on this machine; install it with \`apt-get install -y chromium\` (CI does)`;

/** Flags for a quiet, deterministic headless run (`--headless` comes with `headless: true`). */
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * Starts a headless Chromium with a fresh profile (Playwright gives every `launch` its own
 * temporary user-data dir, removed on `close`).
 * @throws when /usr/bin/chromium is missing, saying how to install it
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: the browser tests drive Debian's Chromium ` +
        '(playwright-core never downloads a browser). Install it with ' +
        '`apt-get update && apt-get install -y chromium`, then run the tests again.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}
