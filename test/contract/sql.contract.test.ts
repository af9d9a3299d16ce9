import { runContracts } from './suite.ts';

runContracts('@crm/sql');
