export {
  createCredentialStore,
  credentialStorageMessage,
  MAX_SECRET_LENGTH,
  type CredentialProtection,
  type CredentialStore,
  type CredentialStoreOptions,
} from './credential-store';
export { CredentialError, maskSecret, type CredentialProblemKind } from './credential-error';
