export { CredentialCipher, isEncrypted } from './credential-cipher.js';
