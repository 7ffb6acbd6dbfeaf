/** The app in browser mode with docs, in-process: the shared suite of packages/contract-tests. */
import {
  browserAppSuite,
  serveListener,
} from '../../../packages/contract-tests/test/in-process/browser-app.js';
import { createApp, documentRoutes } from '../src/app.js';

browserAppSuite((auth) => serveListener(createApp(auth)), documentRoutes);
