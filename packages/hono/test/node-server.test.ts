/**
 * Over a real `@hono/node-server`: the socket's address reaches the core, every header of its
 * answers reaches the client, and a body over the cap is refused while it is still
 * arriving, not after it has been buffered.
 */
import { request as httpRequest } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authRoutes, onAuthError } from '../src/index.js';
import { harness } from './helpers.js';

const TEN_MB = 10 * 1024 * 1024;
const h = harness();
const sockets: Socket[] = [];
let server: ServerType;
let port: number;

beforeAll(async () => {
  const app = new Hono();
  // A header set after the route answered, as the examples' nosniff middleware does: Hono then
  // rebuilds the response, and @hono/node-server's Response from its constructor arguments.
  app.use(async (c, next) => {
    await next();
    c.header('x-after', '1');
  });
  app.route('/', authRoutes(h.auth));
  app.onError(onAuthError(h.auth));
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
  });
  server.on('connection', (socket: Socket) => sockets.push(socket));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

interface Upload {
  status: number;
  body: string;
  /** Bytes the server's socket had read when the answer came. */
  readWhenAnswered: number;
}

/** POSTs `total` bytes in 64 KiB chunks, yielding between chunks, until the server answers. */
function upload(total: number, headers: Record<string, string> = {}): Promise<Upload> {
  return new Promise((resolve, reject) => {
    const piece = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    let answered = false;
    // Only this upload's connection counts: an earlier one may still be read (drained) by
    // the server after its answer.
    const before = sockets.length;
    const req = httpRequest({
      agent: false,
      host: '127.0.0.1',
      port,
      path: '/auth/register',
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
    });
    req.on('response', (res) => {
      answered = true;
      const readWhenAnswered = Math.max(0, ...sockets.slice(before).map((s) => s.bytesRead));
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body, readWhenAnswered });
      });
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const pump = () => {
      if (answered || req.destroyed) return;
      if (sent >= total) {
        req.end();
        return;
      }
      sent += piece.length;
      if (req.write(piece)) setImmediate(pump);
      else req.once('drain', pump);
    };
    pump();
  });
}

describe('@hono/node-server', () => {
  it('hands the socket address to the core', async () => {
    const credentials = { username: 'alice', password: 'correct horse battery staple' };
    await h.auth.register(credentials);
    const res = await fetch(`http://127.0.0.1:${port}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.7' },
      body: JSON.stringify(credentials),
    });
    expect(res.status).toBe(200);
    expect(h.events.find((e) => e.type === 'login_success')).toMatchObject({
      client: '127.0.0.1',
    });
  });

  it('keeps every header of the core: Allow on a 405, HEAD, JWKS caching without Pragma', async () => {
    const base = `http://127.0.0.1:${port}`;
    const wrong = await fetch(`${base}/auth/token`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect(wrong.headers.get('x-after')).toBe('1');
    const me = await fetch(`${base}/auth/me`, { method: 'POST' });
    expect(me.headers.get('allow')).toBe('GET, HEAD');
    const jwks = await fetch(`${base}/.well-known/jwks.json`);
    expect(jwks.headers.get('cache-control')).toMatch(/^public, max-age=/);
    expect(jwks.headers.get('pragma')).toBeNull();
    const head = await fetch(`${base}/.well-known/jwks.json`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String((await jwks.text()).length));
  });

  it('refuses a 10 MB streamed body with 413 while it is still arriving', async () => {
    const result = await upload(TEN_MB);
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body).error).toBe('payload_too_large');
    // The server's socket had read a few hundred KiB at most (the stream is paused beyond
    // its high-water mark), not the 10 MB, when the 413 went out.
    expect(result.readWhenAnswered).toBeLessThan(1024 * 1024);
  });

  it('refuses a declared 10 MB body with 413 before reading it', async () => {
    const result = await upload(TEN_MB, { 'content-length': String(TEN_MB) });
    expect(result.status).toBe(413);
    expect(result.readWhenAnswered).toBeLessThan(1024 * 1024);
  });
});
