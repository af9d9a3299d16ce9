import { runContracts } from './suite.ts';

runContracts('@crm/core/charts');
