export { notifySettingsFromEnv, type NotifySettings } from './settings';
export { startNotifications, type Notifications } from './start';
export { unsubscribe } from './unsubscribe';
