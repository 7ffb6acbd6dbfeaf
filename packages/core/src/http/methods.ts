/**
 * Methods of a route (RFC 9110 §9): `HEAD` is served wherever `GET` is, as `GET` without the
 * body, and a 405 lists every method of the route in `Allow`.
 */

/** The route of `method` in a route's methods; `HEAD` falls back to `GET`. */
export function routeOf<R>(methods: Partial<Record<string, R>>, method: string): R | undefined {
  return methods[method] ?? (method === 'HEAD' ? methods.GET : undefined);
}

/** The `Allow` value of a route: its methods, with `HEAD` after `GET`. */
export function allowOf(methods: Partial<Record<string, unknown>>): string {
  const names = Object.keys(methods);
  if (names.includes('GET') && !names.includes('HEAD'))
    names.splice(names.indexOf('GET') + 1, 0, 'HEAD');
  return names.join(', ');
}

/**
 * The answer to a `HEAD`: the status and headers `GET` answered, without the body. Its
 * `Content-Length` is the one the body would have had (read, as the core's bodies are small,
 * unless the answer already states it).
 */
export async function headAnswer(response: Response): Promise<Response> {
  const headers = new Headers(response.headers);
  if (response.body !== null && !headers.has('content-length')) {
    headers.set('content-length', String((await response.arrayBuffer()).byteLength));
  } else {
    await response.body?.cancel().catch(() => {});
  }
  return new Response(null, { status: response.status, headers });
}
