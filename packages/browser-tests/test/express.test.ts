import { browserSuite } from './suite.js';

browserSuite('express');
