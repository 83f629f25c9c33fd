import type { Scenario } from '../harness/rig';
import { b1 } from './b1-latency';
import { b2 } from './b2-throughput';
import { b3 } from './b3-broadcast';
import { b4 } from './b4-connections';
import { b5 } from './b5-catch-up';
import { b6 } from './b6-queue';
import { b7 } from './b7-help-suggest';
import { b8 } from './b8-files';
import { b9 } from './b9-notifications';
import { soak } from './soak';

/** Every scenario of bench/README.md, in the order `pnpm bench` runs them, then the soak. */
export const scenarios: Scenario[] = [b1, b2, b3, b4, b5, b6, b7, b8, b9, soak];
