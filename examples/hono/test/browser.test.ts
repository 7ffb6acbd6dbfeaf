/** The app in browser mode with docs, in-process: the shared suite of packages/contract-tests. */
import type { Auth } from '@auth/core';
import { browserAppSuite } from '../../../packages/contract-tests/test/in-process/browser-app.js';
import { createApp, documentRoutes } from '../src/app.js';

/** The app, asked in-process (`app.request`, which follows no redirect). */
async function start(auth: Auth) {
  const app = createApp(auth);
  const base = 'http://example.test';
  const get = (path: string, headers: Record<string, string> = {}) =>
    app.request(`${base}${path}`, { headers });
  const post = (path: string, body: string, headers: Record<string, string>) =>
    app.request(`${base}${path}`, { method: 'POST', headers, body });
  return { base, get, post };
}

browserAppSuite(start, documentRoutes);
