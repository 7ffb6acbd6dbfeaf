import { contractSuite } from './contract.js';

contractSuite('express');
