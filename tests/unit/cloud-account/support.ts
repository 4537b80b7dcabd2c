/** Shared set-up for the cloud-account tests: a real sandbox on loopback, a fake SecretBox, memory settings. */
import { createCloudClient } from '../../../electron/core/cloud';
import { createCloudAccount, type CloudAccount } from '../../../electron/core/cloud-account/account';
import { loadEnvKey } from '../../../electron/core/keys/env-key';
import type { SecretBox, SettingsStore } from '../../../electron/core/keys/ports';
import { createKeyVault } from '../../../electron/core/keys/vault';
import { startSandbox, type Sandbox } from '../../sandbox/server';

/** Reversible stand-in for safeStorage (XOR), so a stored blob never shows the key in clear. */
export class FakeSecretBox implements SecretBox {
  constructor(
    public backendName = 'keychain',
    public available = true,
  ) {}
  async backend() {
    return this.backendName;
  }
  async isEncryptionAvailable() {
    return this.available;
  }
  async encrypt(plain: string) {
    return Uint8Array.from(Buffer.from(`ENC|${plain}`), (b) => b ^ 0x5a);
  }
  async decrypt(blob: Uint8Array) {
    const text = Buffer.from(Uint8Array.from(blob, (b) => b ^ 0x5a)).toString('utf8');
    if (!text.startsWith('ENC|')) throw new Error('not ours');
    return { plain: text.slice(4), shouldReEncrypt: false };
  }
}

export function memorySettings(): SettingsStore & { dump(): string } {
  const values = new Map<string, unknown>();
  return {
    get: (k) => structuredClone(values.get(k)),
    set: (k, v) => void values.set(k, structuredClone(v)),
    delete: (k) => void values.delete(k),
    dump: () => JSON.stringify([...values]),
  };
}

export interface Harness {
  sandbox: Sandbox;
  adminKey: string;
  account: CloudAccount;
  settings: ReturnType<typeof memorySettings>;
  /** Requests the app made, as `GET /auth/test`. */
  requests: string[];
  /** Shared clock of the sandbox and the app, in ms. */
  clock: { now: number };
  /** An admin client that bypasses the app, to arrange and inspect the sandbox. */
  admin: ReturnType<typeof createCloudClient>;
}

const open: Sandbox[] = [];

export async function closeSandboxes(): Promise<void> {
  await Promise.all(open.splice(0).map((s) => s.close()));
}

export async function harness(
  opts: {
    box?: SecretBox | null;
    platform?: NodeJS.Platform;
    host?: 'desktop' | 'headless';
    env?: Record<string, string>;
    rateLimitPerHour?: number;
    fetch?: typeof fetch;
    /** false: the app is not told the sandbox URL (tests of the advanced server address). */
    envUrl?: boolean;
  } = {},
): Promise<Harness> {
  const clock = { now: Date.parse('2026-01-10T12:00:00Z') };
  const sandbox = await startSandbox({ organization: 'Test Farm', now: () => clock.now, rateLimitPerHour: opts.rateLimitPerHour ?? 1000 });
  open.push(sandbox);
  if (sandbox.adminKey === null) throw new Error('a fresh sandbox mints an admin key');
  const settings = memorySettings();
  const requests: string[] = [];
  const baseFetch = opts.fetch ?? fetch;
  const countingFetch: typeof fetch = (input, init) => {
    const u = new URL(String(input));
    requests.push(`${init?.method ?? 'GET'} ${u.pathname.replace(/^\/v1/, '')}`);
    return baseFetch(input, init);
  };
  const env = { ...(opts.envUrl === false ? {} : { AUTOPRINTFARM_API_URL: sandbox.url }), ...opts.env };
  const vault = createKeyVault({
    secretBox: opts.box === undefined ? new FakeSecretBox() : opts.box,
    settings,
    platform: opts.platform ?? 'darwin',
    now: () => clock.now,
  });
  const account = createCloudAccount({
    vault,
    settings,
    host: opts.host ?? 'desktop',
    environment: loadEnvKey({ env }),
    fetch: countingFetch,
    clientTuning: { maxRetries: 0, timeoutMs: 5000 },
    now: () => clock.now,
  });
  await account.ready;
  const admin = createCloudClient({ baseUrl: sandbox.url, apiKey: () => sandbox.adminKey, maxRetries: 0 });
  return { sandbox, adminKey: sandbox.adminKey, account, settings, requests, clock, admin };
}
