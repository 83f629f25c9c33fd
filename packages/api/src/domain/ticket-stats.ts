import {
  assignedActiveCount,
  ticketStats,
  ticketStatsVersion,
  type Db,
  type TicketStats,
  type TicketStatsVersion,
} from '@parley/db';

type Cached = {
  version: TicketStatsVersion;
  stats: Omit<TicketStats, 'assignedToMe'>;
  /** `assignedToMe` per agent, valid with the rest. */
  assigned: Map<string, number>;
};

/** One cache per database handle, i.e. per server process (tests make one handle each). */
const caches = new WeakMap<Db, Cached>();

const stillHolds = (cached: Cached, now: TicketStatsVersion) =>
  !now.changed && now.lastNumber === cached.version.lastNumber && now.day === cached.version.day;

/**
 * `tickets.stats` for an agent. Computing it scans every ticket (tens of milliseconds
 * at 100k), so the result is kept per process and reused as long as it still holds:
 * each call first asks the database, in one cheap statement, whether a change to a
 * counted field committed since (`ticketStatsVersion`: the event log is shared by all
 * processes, so a change made through another server counts at once). Only agents
 * call it, and it holds counts, never a ticket's content.
 */
export async function cachedTicketStats(db: Db, agentId: string): Promise<TicketStats> {
  const cached = caches.get(db);
  if (cached) {
    const now = await ticketStatsVersion(db, { afterEventId: cached.version.latestEventId });
    if (stillHolds(cached, now)) {
      // Later events changed nothing counted: the stats hold as of the newest one too.
      cached.version.latestEventId = Math.max(cached.version.latestEventId, now.latestEventId);
      let assignedToMe = cached.assigned.get(agentId);
      if (assignedToMe === undefined) {
        assignedToMe = await assignedActiveCount(db, { agentId });
        // A change committed meanwhile has an event after the version: the next call
        // sees it and drops the whole entry, this count included.
        cached.assigned.set(agentId, assignedToMe);
      }
      return { ...cached.stats, assignedToMe };
    }
  }
  // The version first: the stats read after it include at least everything up to it.
  const version = await ticketStatsVersion(db, { afterEventId: null });
  const { assignedToMe, ...stats } = await ticketStats(db, { agentId });
  const latest = caches.get(db);
  if (!latest || latest.version.latestEventId <= version.latestEventId) {
    caches.set(db, { version, stats, assigned: new Map([[agentId, assignedToMe]]) });
  }
  return { ...stats, assignedToMe };
}
