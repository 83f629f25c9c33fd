import type { TicketTarget } from '../clients/messages';
import { nowMs } from '../harness/clock';
import { mergeEncoded, summarize, type LatencySummary } from '../harness/histogram';
import type { Rig } from '../harness/rig';
import type { ParleyServer } from '../harness/workers';
import { split } from '../harness/workers';

/**
 * The B1/B2 topology: `tickets` tickets, each watched by its customer and
 * `perTicket - 1` agents over `realtime.onTicket`; the customer sends.
 */
export async function setUpTicketWatchers(
  rig: Rig,
  server: ParleyServer,
  tickets: number,
  perTicket: number,
  /** Names the fixture users: a scenario setting up several times gives each its own. */
  prefix = rig.name,
): Promise<number> {
  const customers = await rig.fixtures.signedIn('customer', tickets, `${prefix}-c`);
  const agents = await rig.fixtures.users(
    'agent',
    Math.max(1, Math.ceil(tickets / 10)),
    `${prefix}-a`,
  );
  const agentSockets = tickets * (perTicket - 1);
  const agentTokens = await rig.fixtures.sessions(
    Array.from(
      { length: agentSockets },
      (_, i) => (agents[i % agents.length] as { id: string }).id,
    ),
  );
  const ticketIds = await rig.fixtures.tickets(server.url, customers);
  const targets: TicketTarget[] = ticketIds.map((ticketId, i) => ({
    ticketId,
    senderToken: (customers[i] as { token: string }).token,
    subscriberTokens: [
      (customers[i] as { token: string }).token,
      ...agentTokens.slice(i * (perTicket - 1), (i + 1) * (perTicket - 1)),
    ],
  }));
  const parts = split(targets, rig.workers.length);
  const opened = await Promise.all(
    rig.workers.map((w, i) =>
      w.call('messages.setup', {
        wsUrl: server.wsUrl,
        httpUrl: server.url,
        tickets: parts[i] ?? [],
        localAddress: w.localAddress,
      }),
    ),
  );
  return opened.reduce((n, o) => n + o.sockets, 0);
}

export type PhaseOutcome = {
  rate: number;
  seconds: number;
  sent: number;
  sendOk: number;
  sendFailed: number;
  /** Sends without an answer when the drain ended, and the deliveries they owe. */
  unsettled: number;
  unsettledDeliveries: number;
  failures: string[];
  expectedDeliveries: number;
  deliveries: number;
  lost: number;
  /** Deliveries still on their way when the drain ended (the server far behind). */
  late: number;
  duplicates: number;
  gaps: number;
  behind: number;
  endedSubscriptions: string[];
  /** Messages persisted and delivered to all their subscribers, per second. */
  deliveredPerSecond: number;
  latency: LatencySummary;
  /** From the start of the send's transaction (database clock) to receipt. */
  afterWrite: LatencySummary;
  sendLatency: LatencySummary;
  maxSchedulerLagMs: number;
};

/** One open-loop phase over all workers (each takes rate / workers, staggered). */
export async function loadPhase(
  rig: Rig,
  rate: number,
  seconds: number,
  warmupSeconds: number,
  drainMs: number,
): Promise<PhaseOutcome> {
  const startAt = nowMs() + 300;
  const workers = rig.workers.length;
  const results = await Promise.all(
    rig.workers.map((w, i) =>
      w.call('messages.load', {
        rate: rate / workers,
        durationMs: seconds * 1000,
        warmupMs: warmupSeconds * 1000,
        // Interleave the workers' arrivals instead of firing them in pairs.
        startAt: startAt + (i * 1000) / rate,
        drainMs,
        stallMs: 10_000,
      }),
    ),
  );
  const sum = (pick: (r: (typeof results)[number]) => number) =>
    results.reduce((n, r) => n + pick(r), 0);
  const expectedDeliveries = sum((r) => r.expectedDeliveries);
  const deliveries = sum((r) => r.deliveries);
  const sendOk = sum((r) => r.sendOk);
  // Answered sends whose deliveries did not all come, plus those of unanswered sends.
  const missing = Math.max(0, expectedDeliveries - deliveries) + sum((r) => r.unsettledDeliveries);
  const stillArriving = results.some((r) => r.stillArriving);
  return {
    rate,
    seconds,
    sent: sum((r) => r.fired),
    sendOk,
    sendFailed: sum((r) => r.sendFailed),
    unsettled: sum((r) => r.unsettled),
    unsettledDeliveries: sum((r) => r.unsettledDeliveries),
    failures: results.flatMap((r) => r.failures).slice(0, 5),
    expectedDeliveries,
    deliveries,
    lost: stillArriving ? 0 : missing,
    late: stillArriving ? missing : 0,
    duplicates: sum((r) => r.duplicates),
    gaps: sum((r) => r.gaps),
    behind: sum((r) => r.behind),
    endedSubscriptions: results.flatMap((r) => r.endedSubscriptions).slice(0, 5),
    // Over the time it really took: the step, or until its last delivery if that was later.
    deliveredPerSecond: Math.round(
      (expectedDeliveries > 0 ? sendOk * Math.min(1, deliveries / expectedDeliveries) : 0) /
        Math.max(seconds, (Math.max(...results.map((r) => r.lastDeliveryAt)) - startAt) / 1000),
    ),
    latency: summarize(mergeEncoded(results.map((r) => r.latency))),
    afterWrite: summarize(mergeEncoded(results.map((r) => r.afterWrite))),
    sendLatency: summarize(mergeEncoded(results.map((r) => r.sendLatency))),
    maxSchedulerLagMs: Math.max(...results.map((r) => r.maxSchedulerLagMs)),
  };
}

/**
 * Delivery problems of a phase, as sentences (empty: complete and in order). With
 * `countLate` false, deliveries an overloaded server still owed when the drain ended
 * (they kept arriving) are not problems: slow is a missed target, not a lost message.
 */
export function deliveryProblems(phase: PhaseOutcome, countLate = true): string[] {
  const out: string[] = [];
  if (phase.unsettled > 0 && phase.late === 0)
    out.push(`${phase.unsettled} messages.send calls never answered`);
  if (phase.sendFailed > 0)
    out.push(`${phase.sendFailed} messages.send calls failed (${phase.failures.join('; ')})`);
  if (phase.lost > 0) out.push(`${phase.lost} of ${phase.expectedDeliveries} deliveries missing`);
  if (phase.late > 0 && countLate)
    out.push(`${phase.late} deliveries still due when the drain ended`);
  if (phase.duplicates > 0) out.push(`${phase.duplicates} duplicate or out-of-order deliveries`);
  if (phase.gaps > 0) out.push(`${phase.gaps} seq gaps in subscriber streams`);
  if (phase.behind > 0 && phase.late === 0)
    out.push(`${phase.behind} subscribers did not end on their ticket's last message`);
  if (phase.endedSubscriptions.length > 0)
    out.push(`subscriptions ended: ${phase.endedSubscriptions.join('; ')}`);
  return out;
}

/** The raw `ws` relay floor with the same topology and rate (HTTP publish → ws fan-out). */
export async function wsRelayFloor(
  rig: Rig,
  tickets: number,
  perTicket: number,
  rate: number,
  seconds: number,
  warmupSeconds: number,
) {
  const floor = await rig.wsFloorServer();
  const topics = Array.from({ length: tickets }, (_, i) => `t${i}`);
  const parts = split(topics, rig.workers.length);
  await Promise.all(
    rig.workers.map((w, i) =>
      w.call('wsFloor.subscribe', {
        wsUrl: floor.wsUrl,
        topics: parts[i] ?? [],
        perTopic: perTicket,
        localAddress: w.localAddress,
      }),
    ),
  );
  const startAt = nowMs() + 300;
  const results = await rig.metered('floor: raw ws relay', [floor], () =>
    Promise.all(
      rig.workers.map((w, i) =>
        w.call('wsFloor.relay', {
          httpUrl: floor.url,
          topics: parts[i] ?? [],
          perTopic: perTicket,
          rate: rate / rig.workers.length,
          durationMs: seconds * 1000,
          warmupMs: warmupSeconds * 1000,
          startAt: startAt + (i * 1000) / rate,
          pad: 'x'.repeat(300),
        }),
      ),
    ),
  );
  await Promise.all(rig.workers.map((w) => w.call('wsFloor.close', undefined)));
  await floor.stop();
  const expected = results.reduce((n, r) => n + r.expected, 0);
  const delivered = results.reduce((n, r) => n + r.delivered, 0);
  return { expected, delivered, latency: summarize(mergeEncoded(results.map((r) => r.latency))) };
}

/** INSERT+NOTIFY → LISTEN at `rate`, from one worker (the database part of the path). */
export async function pgNotifyFloor(
  rig: Rig,
  rate: number,
  seconds: number,
  warmupSeconds: number,
) {
  const worker = rig.workers[0];
  if (!worker) throw new Error('no worker');
  const result = await rig.metered('floor: pg INSERT+NOTIFY latency', [], () =>
    worker.call('floor.pgNotifyLatency', {
      url: rig.scratch.url,
      rate,
      durationMs: seconds * 1000,
      warmupMs: warmupSeconds * 1000,
      clients: 8,
    }),
  );
  return {
    fired: result.fired,
    delivered: result.delivered,
    failed: result.failed,
    latency: summarize(mergeEncoded([result.latency])),
  };
}
