import type { CloudAccount } from './account';

/**
 * Asks the cloud what the app's own key is (its id, name, organization and scopes) and remembers it as the
 * account's last check. Null without a key. Key administration and the materials sync both need its scopes.
 */
export async function askAppKeyFacts(account: CloudAccount): Promise<{ keyId: string; scopes: string[] } | null> {
  const key = account.appKey();
  const client = account.appClient();
  if (key === null || client === null) return null;
  const [auth, current] = await Promise.all([client.auth.test(), client.apiKeys.current()]);
  account.recordAccount({
    mask: key.mask,
    keyId: auth.key_id,
    keyName: current.name,
    organization: auth.organization,
    scopes: current.scopes,
    checkedAt: new Date(account.now()).toISOString(),
  });
  return { keyId: auth.key_id, scopes: current.scopes };
}
