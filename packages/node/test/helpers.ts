import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type Auth, argon2id, createAuth, memoryStorage } from '@auth/core';

/** A real auth instance with a cheap argon2id, so tests stay fast. */
export function testAuth(): Auth {
  return createAuth({
    issuer: 'urn:test:issuer',
    audience: 'urn:test:api',
    keys: { alg: 'HS256', secret: 'test-secret-that-is-at-least-32-bytes-long!!' },
    storage: memoryStorage(),
    password: { hasher: argon2id({ memoryCost: 64, timeCost: 1, parallelism: 1 }) },
    roles: { admin: { inherits: ['user'] }, user: {} },
  });
}

export interface Served {
  /** `http://127.0.0.1:<port>` */
  url: string;
  server: Server;
  /** Every socket the server accepted, in order. */
  sockets: Socket[];
  close(): Promise<void>;
}

/** Listens on an ephemeral port. */
export async function serve(listener: RequestListener): Promise<Served> {
  const server = createServer(listener);
  const sockets: Socket[] = [];
  server.on('connection', (socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    sockets,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** POSTs JSON. */
export function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}
