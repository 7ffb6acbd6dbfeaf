import { contractSuite } from './contract.js';

contractSuite('node-http');
