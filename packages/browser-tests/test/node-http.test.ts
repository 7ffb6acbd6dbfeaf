import { browserSuite } from './suite.js';

browserSuite('node-http');
