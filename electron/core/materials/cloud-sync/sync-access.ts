import type { CloudClient } from '../../cloud/client';
import type { CloudAccount } from '../../cloud-account/account';
import { askAppKeyFacts } from '../../cloud-account/app-key-facts';
import type { SignInView } from '../../contract/sign-in-types';

/** What the app's credential may do in the cloud: its scopes, and whether it is the key or the sign-in. */
export interface SyncGrants {
  via: 'key' | 'sign-in';
  scopes: string[];
}

/** How the sync reaches the cloud: a client with the app's key or token, and what that credential holds. */
export interface SyncAccess {
  ready: Promise<void>;
  client(): CloudClient | null;
  /**
   * The scopes of the key or sign-in in use, or null without either. Known ones are used as they are (the setup
   * check keeps them); unknown ones, or `fresh`, are asked of the cloud (`GET /api-keys/current`, which any valid key
   * may call) and remembered. Never a materials call.
   */
  grants(fresh: boolean): Promise<SyncGrants | null>;
}

export function accountSyncAccess(account: CloudAccount, signIn: () => SignInView | null, ready: Promise<void>): SyncAccess {
  return {
    ready,
    client: () => account.appClient(),
    async grants(fresh) {
      await ready;
      const view = signIn();
      const client = account.appClient();
      if (view?.state === 'signed-in') {
        if (!fresh || client === null) return { via: 'sign-in', scopes: view.scopes };
        const current = await client.apiKeys.current();
        return { via: 'sign-in', scopes: current.scopes };
      }
      if (account.appKey() === null || client === null) return null;
      const known = account.account();
      if (known !== null && !fresh) return { via: 'key', scopes: known.scopes };
      const asked = await askAppKeyFacts(account);
      return asked && { via: 'key', scopes: asked.scopes };
    },
  };
}
