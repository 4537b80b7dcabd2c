import type { KeyAdmin } from '../cloud-account/key-admin';
import type { CloudAccount } from '../cloud-account/account';
import type { SetupWizard } from '../cloud-account/setup-wizard';
import type { KEY_METHODS } from '../contract/names/keys';
import type { HandlersFor } from '../rpc/dispatch';

export function createKeyHandlers(deps: { account: CloudAccount; wizard: SetupWizard; admin: KeyAdmin }): HandlersFor<(typeof KEY_METHODS)[number]> {
  const { account, wizard, admin } = deps;
  const status = async () => {
    await account.ready;
    return account.status();
  };
  return {
    'keys.status': status,
    'keys.setup.check': (input) => wizard.check(input),
    'keys.setup.save': (input) => wizard.save(input),
    'keys.setup.cancel': async () => {
      wizard.cancel();
      return status();
    },
    'keys.setup.skip': async () => {
      wizard.cancel();
      account.markSetup('skipped');
      return status();
    },
    'keys.forget': async () => {
      await account.ready;
      return account.forget();
    },
    'keys.allowWeakStorage': async ({ allow }) => {
      await account.ready;
      await account.vault.allowWeakStorage(allow);
      return account.status();
    },
    'keys.admin.access': () => admin.access(),
    'keys.admin.useSessionKey': ({ key }) => admin.useSessionKey(key),
    'keys.admin.dropSessionKey': () => admin.dropSessionKey(),
    'keys.list': () => admin.list(),
    'keys.create': (input) => admin.create(input),
    'keys.roll': ({ id }) => admin.roll(id),
    'keys.revoke': (input) => admin.revoke(input),
  };
}
