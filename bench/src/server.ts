/**
 * A server under test, run as a child process: `server.ts <target>`. Every target serves
 * `GET /ping` (no auth) and `GET /protected` (bearer, HS256, same claims checked), answering
 * small JSON. The `hashing` target also serves the auth routes (register, login) with the
 * default hasher. It sends `{ port }` once listening, answers `cpu` messages with the CPU time
 * it has used (µs) and `eld` messages with its event-loop delay since the last one. A target
 * imports only its own framework and peer: a server starts sooner (under valgrind, a minute
 * sooner) and holds no other framework's code.
 */
import { createSecretKey } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { type Auth, createAuth, memoryStorage, type Principal } from '@auth/core';
import type { ErrorRequestHandler, Express } from 'express';
import type { Hono } from 'hono';
import { AUDIENCE, hmacCryptoKey, ISSUER, SECRET, SECRET_BYTES } from './common.js';

/**
 * The body of every 200, `/ping`'s too: the unprotected and the protected routes do the same
 * work but for the authentication, so their ratio is its cost alone.
 */
const PROTECTED = { message: 'protected resource' };
const PING = PROTECTED;

/** What Express's floor route puts in `req.auth`: the shape of a verified principal. */
const FLOOR_PRINCIPAL: Principal = Object.freeze({
  userId: 'user-1',
  roles: [],
  sessionId: undefined,
  tokenId: 'token-1',
  issuedAt: 0,
  expiresAt: 0,
  claims: {},
});

const ours = (): Auth =>
  createAuth({
    issuer: ISSUER,
    audience: AUDIENCE,
    keys: { alg: 'HS256', secret: SECRET },
    storage: memoryStorage(),
  });
/** The peers get the secret as a key object made once, where they accept one. */
const secretKey = createSecretKey(SECRET_BYTES);

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
  });
  res.end(json);
}

const ping: RequestListener = (_req, res) => sendJson(res, 200, PING);

/** A node:http listener with /ping and `routes`, every one found the same way: by exact path. */
function nodeRoutes(own: Record<string, RequestListener>): RequestListener {
  const routes: Record<string, RequestListener> = { '/ping': ping, ...own };
  return (req, res) => {
    const route = routes[req.url ?? ''];
    if (route) return route(req, res);
    sendJson(res, 404, { error: 'not_found' });
  };
}

/** A route that answers once `guard` resolves, 401 when it rejects. */
function guardedRoute(guard: (req: IncomingMessage) => Promise<unknown>): RequestListener {
  return (req, res) => {
    guard(req).then(
      () => sendJson(res, 200, PROTECTED),
      () => sendJson(res, 401, { error: 'invalid_token' }),
    );
  };
}

/** A node:http listener with /ping and a /protected guarded by `guard`. */
function nodeApp(guard: (req: IncomingMessage) => Promise<unknown>): RequestListener {
  return nodeRoutes({ '/protected': guardedRoute(guard) });
}

async function honoApp(configure: (app: Hono) => void): Promise<Server> {
  const [{ Hono }, { createAdaptorServer }] = await Promise.all([
    import('hono'),
    import('@hono/node-server'),
  ]);
  const app = new Hono();
  app.get('/ping', (c) => c.json(PING));
  configure(app);
  return createAdaptorServer({ fetch: app.fetch }) as Server;
}

async function expressApp(configure: (app: Express) => void): Promise<Server> {
  const { default: express } = await import('express');
  const app = express();
  app.get('/ping', (_req, res) => {
    res.json(PING);
  });
  configure(app);
  return createServer(app);
}

const unauthorized: ErrorRequestHandler = (_err, _req, res, _next) => {
  res.status(401).json({ error: 'invalid_token' });
};

/** Every target, by name. */
const targets: Record<string, () => Promise<Server>> = {
  'node:ours': async () => {
    const { authenticate, withAuth: withNodeAuth } = await import('@auth/node');
    const auth = ours();
    const guarded = withNodeAuth(auth, (_req, res) => sendJson(res, 200, PROTECTED));
    return createServer(
      nodeRoutes({
        '/protected': (req, res) => void guarded(req, res),
        '/protected-mw': guardedRoute((req) => authenticate(auth, req)),
      }),
    );
  },
  'node:jose': async () => {
    const { jwtVerify } = await import('jose');
    const key = await hmacCryptoKey();
    const options = {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      typ: 'at+jwt',
      requiredClaims: ['exp', 'iat', 'sub', 'jti'],
    };
    return createServer(
      nodeApp(async (req) => {
        const header = req.headers.authorization ?? '';
        if (header.slice(0, 7).toLowerCase() !== 'bearer ') throw new Error('no token');
        return jwtVerify(header.slice(7).trim(), key, options);
      }),
    );
  },
  'hono:ours': async () => {
    const { requireAuth: honoAuth, onAuthError, withAuth } = await import('@auth/hono');
    const auth = ours();
    return honoApp((app) => {
      app.get(
        '/protected',
        withAuth(auth, (c) => c.json(PROTECTED)),
      );
      app.get('/protected-mw', honoAuth(auth), (c) => c.json(PROTECTED));
      app.onError(onAuthError(auth));
    });
  },
  'hono:hono-jwt': async () => {
    const { jwt: honoJwt } = await import('hono/jwt');
    const secret = await hmacCryptoKey();
    const verification = { iss: ISSUER, aud: AUDIENCE, typ: 'at+jwt' };
    return honoApp((app) => {
      app.get('/protected', honoJwt({ secret, alg: 'HS256', verification }), (c) =>
        c.json(PROTECTED),
      );
    });
  },
  'express:ours': async () => {
    const {
      authErrorHandler,
      requireAuth: expressAuth,
      withAuth: withExpressAuth,
    } = await import('@auth/express');
    const auth = ours();
    return expressApp((app) => {
      app.get(
        '/protected',
        withExpressAuth(auth, (_req, res) => {
          res.json(PROTECTED);
        }),
      );
      app.get('/protected-mw', expressAuth(auth), (_req, res) => {
        res.json(PROTECTED);
      });
      // The floor: hands the handler `req.auth` and verifies nothing.
      app.get('/floor', (req, res) => {
        req.auth = FLOOR_PRINCIPAL;
        res.json(PROTECTED);
      });
      app.use(authErrorHandler(auth));
    });
  },
  'express:express-jwt': async () => {
    const { expressjwt } = await import('express-jwt');
    return expressApp((app) => {
      const guard = expressjwt({
        secret: secretKey,
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
      });
      app.get('/protected', guard, (_req, res) => {
        res.json(PROTECTED);
      });
      app.use(unauthorized);
    });
  },
  'express:passport-jwt': async () => {
    const [{ default: passport }, { ExtractJwt, Strategy: JwtStrategy }] = await Promise.all([
      import('passport'),
      import('passport-jwt'),
    ]);
    const strategy = new JwtStrategy(
      {
        jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
        // passport-jwt hands this to jsonwebtoken, which takes a KeyObject as is.
        secretOrKey: secretKey as unknown as string,
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
      },
      (payload: unknown, done: (error: unknown, user?: unknown) => void) => done(null, payload),
    );
    passport.use(strategy);
    return expressApp((app) => {
      app.use(passport.initialize());
      app.get('/protected', passport.authenticate('jwt', { session: false }), (_req, res) => {
        res.json(PROTECTED);
      });
    });
  },
  /** The example app's shape: auth routes with the default (worker-pool) hasher. */
  hashing: async () => {
    const { authenticate, createAuthHandler } = await import('@auth/node');
    const auth = ours();
    await auth.ready();
    const authRoutes = createAuthHandler(auth);
    const listener = nodeApp((req) => authenticate(auth, req));
    return createServer(async (req, res) => {
      if (await authRoutes(req, res)) return;
      listener(req, res);
    });
  },
};

const target = process.argv[2] ?? '';
const make = targets[target];
if (!make) throw new Error(`unknown target "${target}"; one of ${Object.keys(targets).join(', ')}`);
const server = await make();
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
process.on('message', (message) => {
  if (message === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send!({ micros: user + system });
  } else if (message === 'eld') {
    const ms = (ns: number) => ns / 1e6;
    process.send!({ p99: ms(delay.percentile(99)), max: ms(delay.max), mean: ms(delay.mean) });
    delay.reset();
  }
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
server.listen(0, '127.0.0.1', () => {
  process.send!({ port: (server.address() as AddressInfo).port });
});
