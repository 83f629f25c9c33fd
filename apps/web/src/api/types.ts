import type { RouterOutputs, User } from '@parley/api';

export type { User };
export type Role = User['role'];

/** A ticket as `tickets.byId` returns it. */
export type Ticket = RouterOutputs['tickets']['byId'];
/** A row of `tickets.list`. */
export type TicketSummary = RouterOutputs['tickets']['list']['items'][number];
export type Message = RouterOutputs['messages']['list']['items'][number];
export type TicketStats = RouterOutputs['tickets']['stats'];
export type ManagedUser = RouterOutputs['users']['list'][number];

export type Status = Ticket['status'];
export type Priority = Ticket['priority'];
export type Category = Ticket['category'];
