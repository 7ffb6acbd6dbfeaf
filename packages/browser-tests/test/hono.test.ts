import { browserSuite } from './suite.js';

browserSuite('hono');
