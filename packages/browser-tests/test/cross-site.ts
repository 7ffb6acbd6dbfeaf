/**
 * A second local web server, on another port: the "other site" of the CSRF case. Its page
 * auto-submits a form to the example, as a malicious page would.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running attacker page server. */
export interface CrossSite {
  /** The page that auto-submits a `POST` form to `action`. */
  pageFor(action: string): string;
  close(): Promise<void>;
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** Serves `GET /post?to=<url>`: a page whose form posts to `<url>` as soon as it loads. */
export async function startCrossSite(): Promise<CrossSite> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const to = url.searchParams.get('to') ?? '';
    const html =
      '<!doctype html><title>Win a prize</title>' +
      `<form id="f" method="post" action="${escapeHtml(to)}"></form>` +
      '<script>document.getElementById("f").submit()</script>';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    pageFor: (action) => `http://127.0.0.1:${port}/post?${new URLSearchParams({ to: action })}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
