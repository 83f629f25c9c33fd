export * from './enums';
export * from './labels';
export * from './system-text';
export * from './events';
export * from './help';
export * from './notifications';
