/**
 * The pages of browser mode: login, registration, home, error. Accessible (labels,
 * `autocomplete`, one `<h1>`, errors in a focusable `role="alert"`), dependency-free, no
 * script; every value is escaped. Error texts are generic: nothing an attacker can use.
 */
import { type AuthError, isAuthError } from '../../errors.js';
import type { PublicUser } from '../../flows/public-user.js';
import { USERNAME_MAX, USERNAME_MIN } from '../../username.js';
import { escapeHtml as e, type Page } from './html.js';

/** Where the forms post and link. */
export interface PagePaths {
  readonly login: string;
  readonly register: string;
  readonly logout: string;
}

/** What a login or registration form shows. */
export interface FormState {
  /** The CSRF token of the hidden field. */
  readonly csrf: string;
  /** The return path of the hidden field (already checked). */
  readonly next: string;
  /** The username typed before (never the password). */
  readonly username?: string | undefined;
  /** An error to announce. */
  readonly error?: string | undefined;
  /** Field problems of a registration. */
  readonly issues?: ReadonlyArray<{ path: string; message: string }> | undefined;
  /**
   * The fields the error is about, when `issues` doesn't say: marked invalid and tied to the
   * message. Without it (and without issues), every field: a failed login names neither.
   */
  readonly fields?: readonly string[] | undefined;
}

function alert(state: FormState): string {
  if (!state.error) return '';
  const list = state.issues?.length
    ? `<ul>${state.issues.map((i) => `<li>${e(`${i.path || 'form'} ${i.message}`)}</li>`).join('')}</ul>`
    : '';
  // Focusable and autofocused, so keyboard and screen-reader users land on the message.
  return `<div id="form-error" class="alert" role="alert" tabindex="-1" autofocus><p>${e(state.error)}</p>${list}</div>\n`;
}

function hidden(state: FormState): string {
  return (
    `<input type="hidden" name="csrf_token" value="${e(state.csrf)}">\n` +
    `<input type="hidden" name="next" value="${e(state.next)}">\n`
  );
}

function atFault(state: FormState, field: string): boolean {
  if (!state.error) return false;
  if (state.issues?.length) return state.issues.some((i) => i.path === field);
  return state.fields?.includes(field) ?? true;
}

/**
 * `aria-invalid` on a field at fault, and `aria-describedby` naming what describes it: the
 * error message when it is at fault, then its hint.
 */
function described(state: FormState, field: string, hint?: string): string {
  const invalid = atFault(state, field);
  const ids = [invalid ? 'form-error' : '', hint ?? ''].filter(Boolean).join(' ');
  return (invalid ? ' aria-invalid="true"' : '') + (ids ? ` aria-describedby="${ids}"` : '');
}

function usernameInput(state: FormState, autofocus: boolean, extra = ''): string {
  return (
    '<label for="username">Username</label>\n' +
    `<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required${extra} value="${e(state.username ?? '')}"${autofocus ? ' autofocus' : ''}`
  );
}

function withNext(path: string, next: string, home: string): string {
  return next && next !== home ? `${path}?next=${encodeURIComponent(next)}` : path;
}

/** The login form. */
export function loginPage(paths: PagePaths, state: FormState, home: string): Page {
  const body =
    alert(state) +
    `<form method="post" action="${e(paths.login)}">\n${hidden(state)}` +
    `${usernameInput(state, !state.error)}${described(state, 'username')}>\n` +
    '<label for="password">Password</label>\n' +
    `<input id="password" name="password" type="password" autocomplete="current-password" required${described(state, 'password')}>\n` +
    '<button type="submit">Sign in</button>\n</form>\n' +
    `<p>No account yet? <a href="${e(withNext(paths.register, state.next, home))}">Create one</a></p>`;
  return { title: 'Sign in', body };
}

/** The registration form. */
export function registerPage(
  paths: PagePaths,
  state: FormState,
  home: string,
  password: { min: number; max: number },
): Page {
  const body =
    alert(state) +
    `<form method="post" action="${e(paths.register)}">\n${hidden(state)}` +
    `${usernameInput(state, !state.error, ` minlength="${USERNAME_MIN}"`)}${described(state, 'username', 'username-hint')}>\n` +
    `<p class="hint" id="username-hint">${USERNAME_MIN}–${USERNAME_MAX} characters.</p>\n` +
    '<label for="password">Password</label>\n' +
    `<input id="password" name="password" type="password" autocomplete="new-password" required minlength="${password.min}"${described(state, 'password', 'password-hint')}>\n` +
    `<p class="hint" id="password-hint">At least ${password.min} characters.</p>\n` +
    '<button type="submit">Create account</button>\n</form>\n' +
    `<p>Already registered? <a href="${e(withNext(paths.login, state.next, home))}">Sign in</a></p>`;
  return { title: 'Create an account', body };
}

/** The home page: greets the user, with a logout button. */
export function homePage(paths: PagePaths, user: PublicUser, csrf: string): Page {
  const body =
    `<p>You are signed in as <strong>${e(user.username)}</strong>.</p>\n` +
    `<form method="post" action="${e(paths.logout)}">\n` +
    `<input type="hidden" name="csrf_token" value="${e(csrf)}">\n` +
    '<button type="submit">Sign out</button>\n</form>';
  return { title: 'Home', heading: `Hello, ${user.username}`, body };
}

/** A page that only says what went wrong, with a way on. */
export function messagePage(
  title: string,
  message: string,
  link?: { href: string; text: string },
): Page {
  const more = link ? `\n<p><a href="${e(link.href)}">${e(link.text)}</a></p>` : '';
  return {
    title,
    body: `<div class="alert" role="alert" tabindex="-1" autofocus><p>${e(message)}</p></div>${more}`,
  };
}

/** How an error reads on a page: its status, a title and a generic message. */
export interface ErrorText {
  readonly status: number;
  readonly title: string;
  readonly message: string;
}

/** The page text of any thrown value. Never the error's own description. */
export function errorText(error: unknown): ErrorText {
  const err: AuthError | undefined = isAuthError(error) ? error : undefined;
  const status = err?.status ?? 500;
  switch (err?.code) {
    case 'invalid_credentials':
      return { status, title: 'Sign in', message: 'Invalid username or password.' };
    case 'rate_limited': {
      const n = err.retryAfter ?? 60;
      const message = `Too many failed attempts. Try again in ${n} second${n === 1 ? '' : 's'}.`;
      return { status, title: 'Too many attempts', message };
    }
    case 'invalid_request':
      return { status, title: 'Check the form', message: 'Please check the form and try again.' };
    case 'username_taken':
      return { status, title: 'Create an account', message: 'That username is already taken.' };
    case 'unauthorized':
    case 'invalid_token':
    case 'token_expired':
    case 'invalid_grant':
      return { status: 401, title: 'Sign in required', message: 'Please sign in to continue.' };
    case 'insufficient_scope':
      return { status, title: 'Access denied', message: 'You do not have access to this page.' };
    case 'forbidden':
      return {
        status,
        title: 'Request refused',
        message: 'The form could not be verified. Reload the page and try again.',
      };
    case 'not_found':
      return { status, title: 'Not found', message: 'There is no such page.' };
    case 'method_not_allowed':
      return { status, title: 'Not allowed', message: 'This page does not accept that request.' };
    case 'payload_too_large':
      return { status, title: 'Too large', message: 'The form is too large.' };
    case 'unsupported_media_type':
      return { status, title: 'Unreadable form', message: 'The form could not be read.' };
    default:
      return status >= 500
        ? {
            status,
            title: 'Something went wrong',
            message: 'Something went wrong. Please try again later.',
          }
        : { status, title: 'Request refused', message: 'The request could not be completed.' };
  }
}
