/**
 * The app's connection to the AutoPrintFarm cloud: which key it uses (through the vault), which server, what
 * the last check said about the key, whether setup was done, and an admin key held for this session only.
 * Everything it publishes is a CloudStatus, which carries masks and never a key.
 */
import { z } from 'zod';
import { createCloudClient, type CloudClient, type CloudClientOptions } from '../cloud';
import type { BearerTokenSource } from '../cloud/request-sender';
import type { AppKeyState, CloudAccountInfo, CloudStatus } from '../contract/keys-types';
import type { EnvKeyResult } from '../keys/env-key';
import { defaultBaseUrl, type KeyEnvironment, type ParsedKey } from '../keys/key-format';
import type { KeyVault } from '../keys/vault';
import type { SettingsStore } from '../ports/settings-store';
import { BASE_URL_SETTING, resolveBaseUrl, type ResolvedBaseUrl } from './base-url';

const ACCOUNT_SETTING = 'cloud.account';
const SETUP_SETTING = 'cloud.setup';
/** Desktop only: the user imported AUTOPRINTFARM_API_KEY once, so later starts use it without asking. */
const USE_ENV_KEY_SETTING = 'cloud.useEnvironmentKey';

const AccountInfoSchema = z.object({
  mask: z.string(),
  keyId: z.string(),
  keyName: z.string(),
  organization: z.string(),
  scopes: z.array(z.string()),
  checkedAt: z.string(),
});

export type ClientTuning = Partial<Omit<CloudClientOptions, 'baseUrl' | 'apiKey' | 'fetch' | 'environment'>>;

export interface CloudAccountDeps {
  vault: KeyVault;
  settings: SettingsStore;
  host: 'desktop' | 'headless';
  environment: EnvKeyResult;
  fetch?: typeof fetch | undefined;
  /** While signed in with AutoPrintFarm, the tokens the app's client uses instead of the key. */
  bearer?: (() => BearerTokenSource | null) | undefined;
  /** Retries and timeouts of interactive calls; tests shorten them. */
  clientTuning?: ClientTuning | undefined;
  now?: (() => number) | undefined;
}

export interface AdminSessionKey {
  key: ParsedKey;
  keyId: string;
  keyName: string;
  organization: string;
}

export interface CloudAccount {
  /** Resolves once the saved key was read (or found unreadable). Never rejects. */
  readonly ready: Promise<void>;
  readonly host: 'desktop' | 'headless';
  readonly vault: KeyVault;
  now(): number;
  status(): CloudStatus;
  onStatus(listener: (status: CloudStatus) => void): () => void;

  environmentKey(): ParsedKey | null;
  environmentProblems(): string[];
  /** Uses AUTOPRINTFARM_API_KEY for this session (memory only); on desktop, also on later starts. */
  useEnvironmentKey(): Promise<void>;

  baseUrlFor(environment: KeyEnvironment, opts?: { ignoreSaved?: boolean }): string;
  /** `null` clears the wizard's choice (back to the environment's or the default server). */
  setBaseUrlOverride(url: string | null): void;
  /** A client for a key that is not (yet) the app's. */
  clientFor(key: ParsedKey, baseUrl?: string): CloudClient;
  /** A client that always uses the app's current key, or null without one. */
  appClient(): CloudClient | null;
  appKey(): ParsedKey | null;

  /** The last check of the key in use, or null when it is unknown for this key. */
  account(): CloudAccountInfo | null;
  recordAccount(info: CloudAccountInfo): void;
  markSetup(state: 'completed' | 'skipped'): void;
  forget(): Promise<CloudStatus>;

  adminSession(): AdminSessionKey | null;
  setAdminSession(session: AdminSessionKey | null): void;
}

export function createCloudAccount(deps: CloudAccountDeps): CloudAccount {
  const { vault, settings, host, environment } = deps;
  const now = deps.now ?? Date.now;
  const listeners = new Set<(s: CloudStatus) => void>();
  let admin: AdminSessionKey | null = null;
  const tuning: ClientTuning = { maxRetries: 1, timeoutMs: 15_000, ...deps.clientTuning };

  const envKey = environment.state === 'found' ? environment.key : null;

  function appKey(): ParsedKey | null {
    const st = vault.status();
    const key = vault.getKey();
    if (key === null || (st.state !== 'stored' && st.state !== 'session-only')) return null;
    return { ok: true, key, environment: st.environment, prefix: `apf_${st.environment}_`, mask: st.mask, trimmed: false };
  }

  function resolved(keyEnv: KeyEnvironment | null): ResolvedBaseUrl {
    return resolveBaseUrl({ settings, environmentUrl: environment.baseUrl, keyEnvironment: keyEnv });
  }

  function account(): CloudAccountInfo | null {
    const parsed = AccountInfoSchema.safeParse(settings.get(ACCOUNT_SETTING));
    const key = appKey();
    return parsed.success && key !== null && parsed.data.mask === key.mask ? parsed.data : null;
  }

  function setupState(): CloudStatus['setup'] {
    const v = settings.get(SETUP_SETTING);
    return v === 'completed' || v === 'skipped' ? v : 'pending';
  }

  function status(): CloudStatus {
    const key: AppKeyState = vault.status();
    const current = appKey();
    const base = resolved(current?.environment ?? envKey?.environment ?? null);
    const setup = setupState();
    return {
      key,
      account: account(),
      baseUrl: base.url,
      baseUrlSource: base.source,
      environmentKey: envKey === null || environment.state !== 'found' ? null : { mask: envKey.mask, source: environment.source, inUse: vault.getKey() === envKey.key },
      setup,
      // Signed in with AutoPrintFarm is set up too.
      offerSetup: !deps.bearer?.() && (key.state === 'needs-reentry' || (key.state === 'none' && setup === 'pending')),
      adminSession: admin === null ? null : { mask: admin.key.mask, keyName: admin.keyName },
      problems: [...environment.problems],
    };
  }

  const publish = () => {
    const s = status();
    for (const l of listeners) l(s);
  };
  vault.onChange(publish);

  async function useEnvironmentKey(): Promise<void> {
    if (envKey === null) return;
    await vault.setKey(envKey.key, { source: 'environment' });
    if (host === 'desktop') settings.set(USE_ENV_KEY_SETTING, true);
  }

  async function init(): Promise<void> {
    await vault.load();
    const st = vault.status();
    const wantsEnv = host === 'headless' || settings.get(USE_ENV_KEY_SETTING) === true;
    if ((st.state === 'none' || st.state === 'needs-reentry') && envKey !== null && wantsEnv) {
      await vault.setKey(envKey.key, { source: 'environment' });
    }
  }

  const ready = init().catch(() => undefined);

  function clientFor(key: ParsedKey, baseUrl?: string): CloudClient {
    return createCloudClient({
      ...tuning,
      baseUrl: baseUrl ?? resolved(key.environment).url,
      apiKey: () => key.key,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
  }

  return {
    ready,
    host,
    vault,
    now,
    status,
    onStatus(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    environmentKey: () => envKey,
    environmentProblems: () => [...environment.problems],
    useEnvironmentKey,
    baseUrlFor(env, opts = {}) {
      if (opts.ignoreSaved === true) return environment.baseUrl ?? defaultBaseUrl(env);
      return resolved(env).url;
    },
    setBaseUrlOverride(url) {
      if (url === null) settings.delete(BASE_URL_SETTING);
      else settings.set(BASE_URL_SETTING, url);
      publish();
    },
    clientFor,
    appClient() {
      const bearer = deps.bearer?.() ?? null;
      if (bearer) {
        // Signed in: the tokens take the key's place (refreshed inside the client when the cloud calls one invalid).
        return createCloudClient({ ...tuning, baseUrl: status().baseUrl, apiKey: () => null, bearer, ...(deps.fetch ? { fetch: deps.fetch } : {}) });
      }
      const key = appKey();
      if (key === null) return null;
      return createCloudClient({
        ...tuning,
        baseUrl: resolved(key.environment).url,
        // Read at each request, so a rolled key takes over without a new client.
        apiKey: () => vault.getKey(),
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
      });
    },
    appKey,
    account,
    recordAccount(info) {
      settings.set(ACCOUNT_SETTING, info);
      publish();
    },
    markSetup(state) {
      settings.set(SETUP_SETTING, state);
      publish();
    },
    async forget() {
      settings.delete(ACCOUNT_SETTING);
      settings.delete(USE_ENV_KEY_SETTING);
      await vault.clear();
      return status();
    },
    adminSession: () => admin,
    setAdminSession(session) {
      admin = session;
      publish();
    },
  };
}
