/**
 * One running example per describe block: started in `beforeAll`, stopped in `afterAll`,
 * with every leftover process group killed when the file ends.
 */
import { afterAll, beforeAll } from 'vitest';
import {
  type EnvOverrides,
  type ExampleName,
  killAll,
  killGroup,
  type LaunchMode,
  type RunningExample,
  startExample,
} from './harness.js';
import { login, registerUser, type TestUser, type Tokens } from './users.js';

/** A lazily available running example. */
export interface ExampleRef {
  /** `http://host:port` of the instance. */
  readonly url: string;
  /** The process, for its output and for stopping it. */
  readonly app: RunningExample;
}

/**
 * Starts `name` with `env` before the tests of the current describe block, through pnpm or
 * its start script alone ({@link LaunchMode}).
 */
export function useExample(
  name: ExampleName,
  env: EnvOverrides = {},
  mode: LaunchMode = 'pnpm',
): ExampleRef {
  let app: RunningExample | undefined;
  beforeAll(async () => {
    app = await startExample(name, env, 30_000, mode);
  });
  afterAll(async () => {
    if (!app || app.hasExited()) return;
    await app.stop('SIGTERM').catch(() => killGroup(app!));
  });
  const running = (): RunningExample => {
    if (!app) throw new Error(`${name} is not running (see the beforeAll error)`);
    return app;
  };
  return {
    get url() {
      return running().url;
    },
    get app() {
      return running();
    },
  };
}

/** Registers the file-level safety net that kills leftover processes. */
export function killLeftoversAfterAll(): void {
  afterAll(() => killAll());
}

/** A user registered and logged in once for the read-only cases of a block. */
export interface SessionRef {
  readonly user: TestUser;
  readonly tokens: Tokens;
}

/** Registers and logs in one user on `example` before the tests of the current block. */
export function useSession(example: ExampleRef): SessionRef {
  let session: SessionRef | undefined;
  beforeAll(async () => {
    const user = await registerUser(example.url, 'shared');
    session = { user, tokens: await login(example.url, user) };
  });
  const current = (): SessionRef => {
    if (!session) throw new Error('the shared session was not set up (see the beforeAll error)');
    return session;
  };
  return {
    get user() {
      return current().user;
    },
    get tokens() {
      return current().tokens;
    },
  };
}
