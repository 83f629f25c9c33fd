export { createTwilioAdapter } from './create-twilio-adapter';
export type { TwilioConfig } from './settings';
export { TwilioRefusedError } from './send-message';
