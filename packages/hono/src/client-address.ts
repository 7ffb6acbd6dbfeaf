/** The client's address as the runtime's socket reports it; never a forwarded header. */
import type { Context } from 'hono';

/** What the Node, Bun and Deno servers pass to `app.fetch` as `c.env`, as far as we read it. */
interface RuntimeBindings {
  /** `@hono/node-server`: `{ incoming, outgoing }` (what its `getConnInfo` reads). */
  incoming?: { socket?: { remoteAddress?: string } };
  /** `@hono/node-server/vercel` nests the bindings under `server`. */
  server?: { incoming?: { socket?: { remoteAddress?: string } } };
  /** Bun: the server itself. */
  requestIP?: (request: Request) => { address: string } | null;
  /** Deno: `ServeHandlerInfo`. */
  remoteAddr?: { hostname?: string };
}

/**
 * The socket's remote address on `@hono/node-server` (`c.env.incoming.socket`), Bun
 * (`server.requestIP`) and Deno (`info.remoteAddr`); `undefined` elsewhere (for example in
 * `app.request()` tests, or on Workers, where the address arrives only in a header you
 * must decide to trust: pass your own `clientAddress` option for that).
 */
export function socketAddress(c: Context): string | undefined {
  const env = c.env as RuntimeBindings | undefined;
  if (!env || typeof env !== 'object') return undefined;
  const incoming = env.incoming ?? env.server?.incoming;
  if (incoming) return incoming.socket?.remoteAddress;
  if (typeof env.requestIP === 'function') return env.requestIP(c.req.raw)?.address;
  return env.remoteAddr?.hostname;
}
