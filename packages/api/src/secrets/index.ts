export {
  createSecretBox,
  newSecretKeyText,
  parseSecretKey,
  sealedPrefix,
  SecretKeyMismatch,
  type SecretBox,
} from './secret-box';
