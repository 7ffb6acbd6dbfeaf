/**
 * `requestErrorHandler`: requests `@hono/node-server` can't turn into a `Request` get the
 * core's JSON 400 over a real server; other errors the core's answers.
 */
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { AuthError } from '@auth/core';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { authRoutes, onAuthError, requestErrorHandler } from '../src/index.js';
import { harness } from './helpers.js';

const h = harness();
let server: Server;
let port: number;

beforeAll(async () => {
  const app = new Hono();
  app.route('/', authRoutes(h.auth));
  app.get('/ping', (c) => c.json({ ping: 'pong' }));
  app.onError(onAuthError(h.auth));
  server = createServer(
    getRequestListener(app.fetch, { errorHandler: requestErrorHandler(h.auth) }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Sends `head` as is (one request, `Connection: close`) and reads the whole answer. */
function raw(head: string): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('error', reject);
    socket.on('end', () => {
      const at = text.indexOf('\r\n\r\n');
      resolve({
        status: Number(text.slice(9, 12)),
        headers: text.slice(0, at).toLowerCase(),
        body: text.slice(at + 4),
      });
    });
    socket.write(`${head}\r\nConnection: close\r\n\r\n`);
  });
}

describe('over a real @hono/node-server listener', () => {
  it('answers a backslash in the path with the JSON 400 of the core', async () => {
    const res = await raw('GET /ping\\x HTTP/1.1\r\nHost: 127.0.0.1');
    expect(res.status).toBe(400);
    expect(res.headers).toContain('content-type: application/json');
    expect(res.headers).toContain('cache-control: no-store');
    expect(JSON.parse(res.body)).toEqual({
      error: 'invalid_request',
      error_description: "the request's target or Host header is malformed",
    });
  });

  it('answers a malformed Host header with the same JSON 400', async () => {
    const res = await raw('GET /ping HTTP/1.1\r\nHost: exa mple.test');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'invalid_request' });
  });

  it('still serves a well-formed request', async () => {
    const res = await raw('GET /ping HTTP/1.1\r\nHost: 127.0.0.1');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ ping: 'pong' });
  });
});

describe('other errors', () => {
  it("answers an AuthError with the core's answer for it", async () => {
    const res = requestErrorHandler(h.auth)(new AuthError('payload_too_large'));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: 'payload_too_large' });
  });

  it('logs anything else and answers a bare 500 that tells nothing of it', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const bug = new Error('secret detail of a bug');
      const res = requestErrorHandler(h.auth)(bug);
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(JSON.parse(text)).toMatchObject({ error: 'internal_error' });
      expect(text).not.toContain('secret detail');
      expect(log).toHaveBeenCalledWith(bug);
    } finally {
      log.mockRestore();
    }
  });
});
