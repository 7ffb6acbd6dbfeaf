/**
 * The browser suite: one example, started as a user starts it, driven through its pages and
 * its docs by a real Chromium. Each `*.test.ts` calls {@link browserSuite} with an example.
 *
 * Two instances per example: one with AUTH_ACCESS_TTL=2 (the access cookie expires during
 * the test, so a reload must refresh it transparently) and one with the defaults for the
 * docs page (so a token from "Authorize" outlives the clicks that use it).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ExampleName,
  killAll,
  REPO_ROOT,
  type RunningExample,
  startExample,
} from '../../contract-tests/test/harness.js';
import { launchChromium, SKIP_REASON } from './chromium.js';
import { type CrossSite, startCrossSite } from './cross-site.js';

/** Screenshots and failure captures (gitignored). */
export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts', 'browser');
/** The example whose login page is kept as docs/login-page.png. */
const README_EXAMPLE: ExampleName = 'hono';

const PASSWORD = 'browser-test-password-1';

function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

async function stop(app: RunningExample | undefined): Promise<void> {
  if (app && !app.hasExited()) await app.stop('SIGTERM').catch(() => undefined);
}

/** The page is the login page, with return path `next`. */
function expectLoginPage(page: Page, next: string): void {
  const url = new URL(page.url());
  expect(url.pathname, page.url()).toBe('/auth/login');
  expect(url.searchParams.get('next'), page.url()).toBe(next);
}

async function expectHome(page: Page, base: string, username: string): Promise<void> {
  expect(new URL(page.url()).href, 'on the home page').toBe(`${base}/`);
  await expect.poll(() => page.locator('h1').textContent()).toContain(username);
  expect(await page.locator('main, body').first().textContent()).toContain(
    `You are signed in as ${username}`,
  );
}

/** Registers the browser suite for `examples/<name>`. */
export function browserSuite(name: ExampleName): void {
  const title = `examples/${name} in Chromium`;
  describe.skipIf(SKIP_REASON !== undefined)(
    SKIP_REASON ? `${title} (skipped: ${SKIP_REASON})` : title,
    () => {
      let browser: Browser;
      let short: RunningExample;
      let main: RunningExample;
      let crossSite: CrossSite;
      const pages: Page[] = [];

      beforeAll(async () => {
        mkdirSync(ARTIFACTS, { recursive: true });
        // Chromium first: without it there is nothing to test, and the error says why.
        browser = await launchChromium();
        const common = { AUTH_COOKIE_SECURE: 'false' };
        [short, main, crossSite] = await Promise.all([
          startExample(name, { ...common, AUTH_ACCESS_TTL: '2' }),
          startExample(name, common),
          startCrossSite(),
        ]);
      });
      afterAll(async () => {
        await browser?.close();
        await Promise.all([stop(short), stop(main), crossSite?.close()]);
        killAll();
      });
      afterEach(async ({ task }) => {
        if (task.result?.state !== 'fail') return;
        for (const [i, page] of pages.entries()) {
          const slug = task.name.replace(/[^\w-]+/g, '-').slice(0, 60);
          const file = join(ARTIFACTS, `${name}-failed-${slug}-${i}.png`);
          await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
        }
      });

      async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
        const context = await browser.newContext({ viewport: { width: 960, height: 640 } });
        const page = await context.newPage();
        pages.push(page);
        return { context, page };
      }

      describe('pages and the cookie session (AUTH_ACCESS_TTL=2)', () => {
        let context: BrowserContext;
        let page: Page;
        const username = uniqueName('browser');

        beforeAll(async () => {
          ({ context, page } = await newPage());
        });
        afterAll(() => context?.close());

        it('/ without a session lands on the login page', async () => {
          await page.goto(`${short.url}/`);
          expectLoginPage(page, '/');
          await expect.poll(() => page.title()).toMatch(/sign in/i);
          await expect(page.locator('input[name="username"]').isVisible()).resolves.toBe(true);
          await expect(page.locator('input[name="password"]').isVisible()).resolves.toBe(true);
          const shot = join(ARTIFACTS, `${name}-login-page.png`);
          await page.screenshot({ path: shot });
          if (name === README_EXAMPLE) {
            mkdirSync(join(REPO_ROOT, 'docs'), { recursive: true });
            copyFileSync(shot, join(REPO_ROOT, 'docs', 'login-page.png'));
          }
        });

        it('registers through the registration page and lands home, greeted', async () => {
          await page.getByRole('link', { name: 'Create one' }).click();
          await page.waitForURL((url) => url.pathname === '/auth/register');
          await page.fill('input[name="username"]', username);
          await page.fill('input[name="password"]', PASSWORD);
          await Promise.all([
            page.waitForURL(`${short.url}/`),
            page.getByRole('button', { name: 'Create account' }).click(),
          ]);
          await expectHome(page, short.url, username);
          // (The access cookie lives 2 s here; the refresh cookie stays.)
          const cookies = await context.cookies(short.url);
          const refresh = cookies.find((c) => c.name === 'auth_refresh');
          expect(refresh?.httpOnly, 'an HttpOnly refresh cookie').toBe(true);
          expect(refresh?.sameSite).toBe('Lax');
          expect(refresh?.secure, 'AUTH_COOKIE_SECURE=false').toBe(false);
        });

        it('stays logged in after the access token expired: a reload refreshes it transparently', async () => {
          const before = (await context.cookies(short.url)).find((c) => c.name === 'auth_refresh');
          expect(before, 'a refresh cookie').toBeDefined();
          await sleep(3_500); // TTL 2 s + 1 s clock tolerance
          await page.reload();
          await expectHome(page, short.url, username);
          const after = (await context.cookies(short.url)).find((c) => c.name === 'auth_refresh');
          expect(after?.value, 'the refresh cookie was rotated').not.toBe(before?.value);
        });

        it('a form on another site posting to /auth/logout is refused with 403; the session survives', async () => {
          const refused = page.waitForResponse((r) => r.url() === `${short.url}/auth/logout`);
          await page.goto(crossSite.pageFor(`${short.url}/auth/logout`));
          const res = await refused;
          expect(res.request().method()).toBe('POST');
          expect(res.status(), 'cross-site logout').toBe(403);
          await page.waitForURL(`${short.url}/auth/logout`);
          await expect.poll(() => page.locator('body').textContent()).toMatch(/refused/i);

          await page.goto(`${short.url}/`);
          await expectHome(page, short.url, username);
        });

        it('logs out: lands on the login page, and / goes to the login page again', async () => {
          await Promise.all([
            page.waitForURL((url) => url.pathname === '/auth/login'),
            page.getByRole('button', { name: 'Sign out' }).click(),
          ]);
          const names = (await context.cookies(short.url)).map((c) => c.name);
          expect(names).not.toContain('auth_access');
          expect(names).not.toContain('auth_refresh');
          await page.goto(`${short.url}/`);
          expectLoginPage(page, '/');
        });

        it('logs in through the login page and lands home, greeted', async () => {
          await page.fill('input[name="username"]', username);
          await page.fill('input[name="password"]', PASSWORD);
          await Promise.all([
            page.waitForURL(`${short.url}/`),
            page.getByRole('button', { name: 'Sign in' }).click(),
          ]);
          await expectHome(page, short.url, username);
        });
      });

      describe('the docs page', () => {
        it('/docs: Authorize with username and password, then "Try it out" on GET /auth/me → 200', async () => {
          const username = uniqueName('docs');
          const registered = await fetch(`${main.url}/auth/register`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username, password: PASSWORD }),
          });
          expect(registered.status).toBe(201);

          const { context, page } = await newPage();
          const problems: string[] = [];
          page.on('pageerror', (error) => problems.push(error.message));
          page.on('console', (m) => {
            if (m.type() === 'error') problems.push(m.text());
          });
          const external: string[] = [];
          page.on('request', (r) => {
            if (new URL(r.url()).origin !== main.url) external.push(r.url());
          });
          try {
            await page.goto(`${main.url}/docs`);
            await page.locator('#operations-auth-me').waitFor();
            await page.screenshot({ path: join(ARTIFACTS, `${name}-docs-page.png`) });

            await page.locator('.auth-wrapper button.authorize').click();
            const dialog = page.locator('.modal-ux');
            await page.fill('#oauth_username', username);
            await page.fill('#oauth_password', PASSWORD);
            const token = page.waitForResponse((r) => r.url() === `${main.url}/auth/token`);
            await dialog.getByRole('button', { name: 'Apply given OAuth2 credentials' }).click();
            expect((await token).status(), 'the token endpoint').toBe(200);
            await expect.poll(() => dialog.textContent()).toMatch(/Authorized/);
            await dialog.locator('button.btn-done').last().click();

            const op = page.locator('#operations-auth-me');
            await op.locator('.opblock-summary').first().click();
            await op.locator('button.try-out__btn').click();
            const me = page.waitForResponse((r) => r.url() === `${main.url}/auth/me`);
            await op.locator('button.execute').click();
            expect((await me).status()).toBe(200);
            const status = op.locator('.live-responses-table .response .response-col_status');
            await expect.poll(() => status.first().textContent()).toContain('200');
            await expect
              .poll(() => op.locator('.live-responses-table').textContent())
              .toContain(username);
            await page.screenshot({
              path: join(ARTIFACTS, `${name}-docs-try-it-out.png`),
              fullPage: true,
            });
            // Nothing of the Authorize outlives the page: no password, no token in storage.
            const stored = await page.evaluate(() => JSON.stringify(window.localStorage));
            expect(stored).not.toContain(PASSWORD);
            expect(stored).not.toMatch(/access_token|refresh_token/);
            expect(external, 'requests to other origins (a CDN)').toEqual([]);
            expect(problems, 'errors in the page (CSP violations, scripts)').toEqual([]);
          } finally {
            await context.close();
          }
        });
      });
    },
  );
}
