/**
 * Key administration for the Keys screen: list, create, roll and revoke through a key that holds admin:*.
 * That is the app's own key when it is an admin key, or an admin key the user gave for this session only
 * (never stored). The app's own key is handled here, in the core: rolling it makes the app verify and store
 * the successor itself, and revoking it needs a replacement, so the app never locks itself out.
 */
import type { ApiKeyInfo, CloudClient } from '../cloud';
import type { AdminAccess, CreatedKeyResult, KeyListResult, ManagedKey, RevokeResult } from '../contract/keys-types';
import { AppError } from '../errors';
import { checkKeyFitsTarget, parseApiKey, type ParsedKey } from '../keys/key-format';
import type { CloudAccount } from './account';
import { askAppKeyFacts } from './app-key-facts';
import { toManagedKey } from './key-ages';
import { ADMIN_SCOPE, scopeCovers } from './scopes';

export interface KeyAdmin {
  access(): Promise<AdminAccess>;
  useSessionKey(raw: string): Promise<AdminAccess>;
  dropSessionKey(): Promise<AdminAccess>;
  list(): Promise<KeyListResult>;
  create(input: { name: string; scopes: string[] }): Promise<CreatedKeyResult>;
  roll(id: string): Promise<CreatedKeyResult>;
  revoke(input: { id: string; confirmName: string; replace?: boolean | undefined }): Promise<RevokeResult>;
}

interface AdminClient {
  client: CloudClient;
  via: 'app_key' | 'session_key';
}

export function createKeyAdmin(account: CloudAccount): KeyAdmin {
  /** The app key's id and scopes: from the last check, or asked now (and remembered). */
  async function appKeyFacts(): Promise<{ keyId: string; scopes: string[] } | null> {
    if (account.appKey() === null) return null;
    return account.account() ?? askAppKeyFacts(account);
  }

  async function access(): Promise<AdminAccess> {
    await account.ready;
    const session = account.adminSession();
    const facts = await appKeyFacts();
    if (facts !== null && scopeCovers(facts.scopes, ADMIN_SCOPE)) {
      return { ok: true, via: 'app_key', mask: account.appKey()?.mask ?? '', organization: account.account()?.organization ?? null };
    }
    if (session !== null) return { ok: true, via: 'session_key', mask: session.key.mask, organization: session.organization };
    if (facts === null) {
      return {
        ok: false,
        reason: 'no_key',
        appKeyScopes: [],
        message: 'The app has no API key yet. Run setup, or enter an admin key below to manage keys for this session only.',
      };
    }
    return {
      ok: false,
      reason: 'not_admin',
      appKeyScopes: facts.scopes,
      message:
        `Managing keys needs admin access (admin:*), and the app's key has only ${facts.scopes.join(', ') || 'no permissions'}. ` +
        'Enter an admin key below: it is used for this session only and never saved.',
    };
  }

  async function adminClient(): Promise<AdminClient> {
    const a = await access();
    if (!a.ok) throw new AppError('forbidden', a.message, { reason: a.reason });
    if (a.via === 'session_key') {
      const session = account.adminSession();
      if (session === null) throw new AppError('forbidden', 'The session admin key is gone. Enter it again.');
      return { client: account.clientFor(session.key), via: 'session_key' };
    }
    const client = account.appClient();
    if (client === null) throw new AppError('forbidden', 'The app has no API key. Run setup first.');
    return { client, via: 'app_key' };
  }

  function parseForTarget(raw: string): ParsedKey {
    const parsed = parseApiKey(raw);
    if (!parsed.ok) throw new AppError('invalid_input', parsed.message);
    const fits = checkKeyFitsTarget(parsed, { baseUrl: account.baseUrlFor(parsed.environment) });
    if (!fits.ok) throw new AppError('invalid_input', fits.message);
    return parsed;
  }

  async function annotate(infos: ApiKeyInfo[]): Promise<ManagedKey[]> {
    const facts = await appKeyFacts().catch(() => null);
    const ctx = { now: account.now(), appKeyId: facts?.keyId ?? null, adminKeyId: account.adminSession()?.keyId ?? null };
    return infos.map((i) => toManagedKey(i, ctx));
  }

  async function findKey(client: CloudClient, id: string): Promise<ApiKeyInfo> {
    const found = (await client.apiKeys.list()).find((k) => k.id === id);
    if (found === undefined) throw new AppError('not_found', 'That key no longer exists; it may have been revoked elsewhere. The list was refreshed.');
    return found;
  }

  /** Checks a fresh key against the cloud before the app depends on it. */
  async function verify(key: ParsedKey): Promise<{ keyId: string; organization: string; name: string; scopes: string[] }> {
    const client = account.clientFor(key);
    const [auth, current] = await Promise.all([client.auth.test(), client.apiKeys.current()]);
    return { keyId: auth.key_id, organization: auth.organization, name: current.name, scopes: current.scopes };
  }

  /** Makes `secret` the app's key, keeping the way the old one was held (saved, or this session only). */
  async function adoptAsAppKey(secret: string, opts: { sessionOnly?: boolean } = {}): Promise<ParsedKey> {
    const parsed = parseForTarget(secret);
    const facts = await verify(parsed);
    const before = account.vault.status();
    const sessionOnly = opts.sessionOnly ?? (before.state === 'session-only' && before.reason === 'session_requested');
    const set = await account.vault.setKey(parsed.key, sessionOnly ? { sessionOnly: true } : {});
    if (!set.ok) throw new AppError('internal', 'The new key could not be kept.');
    account.recordAccount({
      mask: parsed.mask,
      keyId: facts.keyId,
      keyName: facts.name,
      organization: facts.organization,
      scopes: facts.scopes,
      checkedAt: new Date(account.now()).toISOString(),
    });
    return parsed;
  }

  return {
    access,

    async useSessionKey(raw) {
      await account.ready;
      const parsed = parseForTarget(raw);
      const facts = await verify(parsed);
      if (!scopeCovers(facts.scopes, ADMIN_SCOPE)) {
        throw new AppError(
          'forbidden',
          `The key ${parsed.mask} ("${facts.name}") is not an admin key: it has ${facts.scopes.join(', ') || 'no permissions'}. ` + 'Managing keys needs admin:*.',
        );
      }
      account.setAdminSession({ key: parsed, keyId: facts.keyId, keyName: facts.name, organization: facts.organization });
      return access();
    },

    async dropSessionKey() {
      account.setAdminSession(null);
      return access();
    },

    async list() {
      const { client, via } = await adminClient();
      return { keys: await annotate(await client.apiKeys.list()), via };
    },

    async create(input) {
      const { client } = await adminClient();
      const created = await client.apiKeys.create({ name: input.name.trim(), scopes: input.scopes });
      const [key] = await annotate([created]);
      return {
        key: key!,
        secret: created.key,
        storedByApp: false,
        message: 'Copy the key now: AutoPrintFarm shows it only this once, and the app does not keep it.',
      };
    },

    async roll(id) {
      const { client } = await adminClient();
      const facts = await appKeyFacts().catch(() => null);
      const session = account.adminSession();
      const rolled = await client.apiKeys.roll(id);
      const until = 'The old key keeps working for 24 hours, so anything else that uses it has time to switch.';

      if (facts !== null && id === facts.keyId) {
        if (account.vault.status().state === 'session-only' && account.status().environmentKey?.inUse === true) {
          // The environment still holds the old key; the user must put the new one there, so it is shown once.
          await adoptAsAppKey(rolled.key, { sessionOnly: true });
          const [key] = await annotate([rolled]);
          return {
            key: key!,
            secret: rolled.key,
            storedByApp: true,
            message: `The app uses the new key for this session. Put it in AUTOPRINTFARM_API_KEY within 24 hours: ${until.toLowerCase()}`,
          };
        }
        const parsed = await adoptAsAppKey(rolled.key).catch((err: unknown) => {
          throw new AppError(
            'cloud_error',
            `The key was rolled, but the new key could not be verified, so the app keeps using the old one for now ` +
              `(it works until ${rolled.expires_at ?? 'about 24 hours from now'}). ` +
              `${err instanceof Error ? err.message : ''} Roll the new key "${rolled.name}" from the list to get one the app can take over.`,
          );
        });
        const [key] = await annotate([rolled]);
        return { key: key!, secret: null, storedByApp: true, message: `The app checked and now uses the new key ${parsed.mask}. ${until}` };
      }

      if (session !== null && id === session.keyId) {
        const parsed = parseForTarget(rolled.key);
        account.setAdminSession({ ...session, key: parsed, keyId: rolled.id });
      }
      const [key] = await annotate([rolled]);
      return { key: key!, secret: rolled.key, storedByApp: false, message: `Copy the new key now; it is shown only this once. ${until}` };
    },

    async revoke({ id, confirmName, replace }) {
      const { client } = await adminClient();
      const target = await findKey(client, id);
      if (confirmName.trim() !== target.name) {
        throw new AppError('invalid_input', `To revoke this key, type its name exactly: ${target.name}`);
      }
      const facts = await appKeyFacts().catch(() => null);
      let replacement: ManagedKey | null = null;
      if (facts !== null && id === facts.keyId) {
        if (replace !== true) {
          throw new AppError(
            'conflict',
            `"${target.name}" is the key this app uses; revoking it alone would disconnect the app from the cloud. ` +
              'Roll it instead (the app switches to the new key by itself), or revoke it with a replacement.',
          );
        }
        // Same name and permissions; the app takes the new key before the old one stops working.
        const created = await client.apiKeys.create({ name: target.name, scopes: target.scopes });
        await adoptAsAppKey(created.key);
        replacement = (await annotate([created]))[0] ?? null;
      }
      await client.apiKeys.delete(id);
      if (account.adminSession()?.keyId === id) account.setAdminSession(null);
      return {
        revokedId: id,
        replacement: replacement ?? null,
        message:
          replacement === null ? `"${target.name}" is revoked; it stopped working at once.` : `"${target.name}" is revoked. The app now uses a new key with the same permissions.`,
      };
    },
  };
}
