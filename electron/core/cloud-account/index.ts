/** The cloud account services: the app's key and server, the setup wizard and key administration. */
export { createCloudAccount } from './account';
export type { AdminSessionKey, CloudAccount, CloudAccountDeps, ClientTuning } from './account';
export { createKeyAdmin } from './key-admin';
export type { KeyAdmin } from './key-admin';
export { createSetupWizard } from './setup-wizard';
export type { CheckInput, SetupWizard, WizardState } from './setup-wizard';
export { readEnvFiles } from './env-file';
export { reviewScopes, scopeCovers } from './scopes';
