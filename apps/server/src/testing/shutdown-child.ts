// A process that stops through `handleShutdown` and writes a lot while stopping: for
// shutdown.int.test.ts, which gives it a terminal that nobody reads.
import { writeFileSync } from 'node:fs';
import { createLogger } from '../log';
import { handleShutdown } from '../shutdown';

const marker = process.env.SHUTDOWN_MARKER!;
const logger = createLogger();
const shutdown = handleShutdown(logger);
shutdown.ready([
  async () => {
    for (let i = 0; i < 500; i++) logger.info('closing', { detail: 'x'.repeat(2000) });
    writeFileSync(marker, 'the steps ran');
  },
]);
writeFileSync(`${marker}.ready`, 'ready');
setInterval(() => {}, 1000);
