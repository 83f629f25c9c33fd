export * from './users';
export * from './tickets';
export * from './ticket-views';
export * from './ticket-stats';
export * from './messages';
export * from './thread-write';
export * from './housekeeping';
export { prepared } from '../prepared';
