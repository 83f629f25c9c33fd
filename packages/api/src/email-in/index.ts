export { startEmailIn, type EmailIn, type EmailInOptions } from './listener';
export type { ReceivedMail } from './receive-mail';
export { emailInSettingsFromEnv, supportAddressFromEnv, type EmailInSettings } from './settings';
