/**
 * The reason a database could not be used, in words safe to print at start-up: never the
 * connection string or its password.
 */

/**
 * What went wrong with the database, for a start-up message: the error's code
 * (`ECONNREFUSED`, `28P01`) or else the first line of its message, unless that repeats the
 * URL or its password. Without a URL (an app's own pool), the code only.
 * @example
 * ```ts
 * `cannot use the database${connectReason(error.cause, url)}` // '… (ECONNREFUSED)'
 * ```
 */
export function connectReason(cause: unknown, url?: string): string {
  const code = Reflect.get(Object(cause), 'code');
  if (typeof code === 'string' && code !== '') return ` (${code})`;
  if (!(cause instanceof Error) || url === undefined) return '';
  const line = cause.message.split('\n')[0]!.trim();
  const leaks = [url, ...passwordsOf(url)].some((secret) => line.includes(secret));
  return line === '' || leaks ? '' : `: ${line}`;
}

/** The URL's password as written and, where it decodes, decoded; none when it has none. */
function passwordsOf(url: string): string[] {
  let password: string;
  try {
    password = new URL(url).password;
  } catch {
    return [];
  }
  if (password === '') return [];
  try {
    return [password, decodeURIComponent(password)];
  } catch {
    return [password]; // a malformed escape (`%zz`) is shown as written
  }
}
