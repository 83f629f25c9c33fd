export {
  createSecretBox,
  isSealed,
  newSecretKeyText,
  parseSecretKey,
  sealedPrefix,
  SecretKeyMismatch,
  type SecretBox,
} from './secret-box';
