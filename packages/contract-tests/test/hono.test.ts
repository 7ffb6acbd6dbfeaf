import { contractSuite } from './contract.js';

contractSuite('hono');
