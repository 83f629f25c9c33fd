export * from './enums';
export * from './users';
export * from './widgets';
export * from './tickets';
export * from './rate-limits';
export * from './attachments';
export * from './help';
export * from './notifications';
