/**
 * A load-generating client process: holds sockets and sends calls for the parent,
 * which spreads sockets and load over several of these (and away from the server's
 * process). Every client-side procedure of every scenario is registered here.
 */
import { catchUpHandlers } from '../clients/catch-up';
import { fileHandlers } from '../clients/files';
import { createInboxClients } from '../clients/inbox';
import { createMessageClients } from '../clients/messages';
import { queryHandlers } from '../clients/queries';
import { pgFloorHandlers } from '../floors/pg-floor';
import { createWsFloorClients } from '../floors/ws-floor-clients';
import { serveRpc } from './ipc';
import { sampleProcess } from './process-stats';

export const workerHandlers = {
  ...createMessageClients(),
  ...createInboxClients(),
  ...createWsFloorClients(),
  ...catchUpHandlers,
  ...queryHandlers,
  ...pgFloorHandlers,
  ...fileHandlers,
  sample: (_args: Record<string, never>) => sampleProcess(),
};

export type WorkerHandlers = typeof workerHandlers;

serveRpc(workerHandlers);
