import type { CredentialStore } from '../credentials/credential-store';
import type { TokenSet } from '../oauth/token-endpoint';
import type { TokenStore } from '../oauth/token-session';
import type { SettingsStore } from '../ports/settings-store';

const REF_SETTING = 'cloud.signIn.tokens';

/**
 * Sign-in tokens in the credential store, under the same keyring policy as printer secrets and the API key: the
 * settings hold only a reference. Each save is a new entry, the old one removed after, so a crash between the
 * two leaves the newer tokens (a spent refresh token is never the one kept).
 */
export function credentialTokenStore(credentials: CredentialStore, settings: SettingsStore): TokenStore & { kept(): 'saved' | 'session-only' | null } {
  let kept: 'saved' | 'session-only' | null = null;
  const ref = () => {
    const r = settings.get(REF_SETTING);
    return typeof r === 'string' ? r : null;
  };
  return {
    async load() {
      const r = ref();
      const text = r ? await credentials.get(r) : null;
      if (!text) return null;
      kept = 'saved';
      try {
        const t = JSON.parse(text) as Partial<TokenSet>;
        if (typeof t.accessToken !== 'string' || typeof t.expiresAt !== 'number' || !Array.isArray(t.scopes)) return null;
        return { accessToken: t.accessToken, refreshToken: typeof t.refreshToken === 'string' ? t.refreshToken : null, expiresAt: t.expiresAt, scopes: t.scopes };
      } catch {
        return null;
      }
    },
    async save(tokens) {
      const old = ref();
      if (tokens) {
        const { ref: next, protection } = await credentials.put(JSON.stringify(tokens));
        kept = protection.state === 'session-only' ? 'session-only' : 'saved';
        settings.set(REF_SETTING, next);
      } else settings.delete(REF_SETTING);
      if (old) credentials.remove(old);
    },
    kept: () => kept,
  };
}
