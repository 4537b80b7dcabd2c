import { createCloudClient } from '../cloud';
import type { BearerTokenSource } from '../cloud/request-sender';
import { SIGN_IN_SCOPES, type SignInState, type SignInView } from '../contract/sign-in-types';
import type { SettingsStore } from '../ports/settings-store';
import { fetchMetadata } from '../oauth/metadata';
import { browserSignIn, deviceSignIn } from '../oauth/sign-in';
import { TokenEndpoint, type TokenSet } from '../oauth/token-endpoint';
import { TokenSession, type TokenStore } from '../oauth/token-session';

const WHO_SETTING = 'cloud.signIn.account';

export interface SignInServiceDeps {
  /** The cloud's API base URL as the app resolves it (wizard choice, environment, default). */
  apiBaseUrl(): string;
  /** The tokens, kept in the credential store (encrypted where the computer can), never in a plain setting. */
  store: TokenStore & { kept(): 'saved' | 'session-only' | null };
  settings: SettingsStore;
  /** The desktop opens the system browser; headless has none (the renderer opens the link in its own tab). */
  openBrowser?: ((url: string) => Promise<void> | void) | undefined;
  fetch?: typeof fetch | undefined;
  now?: () => number;
  onChange(view: SignInView): void;
}

interface Who {
  who: string;
  organization: string | null;
  scopes: string[];
  since: number;
}

/**
 * "Sign in with AutoPrintFarm" for this installation: starts the browser or device sign-in, keeps the tokens
 * (through TokenSession: refreshed ahead of expiry, one refresh at a time), says who is signed in, and hands the
 * cloud client and the hub socket a bearer source. The renderer sees the state and who, never a token.
 */
export class SignInService {
  private session: TokenSession;
  private pending: SignInState | null = null;
  private problem: string | null = null;
  private abort: AbortController | null = null;
  private cancelDevice: (() => void) | null = null;
  private readonly now: () => number;
  readonly ready: Promise<void>;

  constructor(private readonly d: SignInServiceDeps) {
    this.now = d.now ?? Date.now;
    this.session = this.newSession();
    this.ready = this.session.ready;
  }

  view(): SignInView {
    const tokens = this.session.current();
    const who = this.who();
    if (this.pending) return { ...this.pending, problem: this.problem };
    // Tokens without the record of who they belong to (a settings file edited by hand) are still a sign-in.
    if (tokens) {
      const known = who ?? { who: 'your AutoPrintFarm account', organization: null, scopes: tokens.scopes, since: 0 };
      return { state: 'signed-in', ...known, kept: this.d.store.kept() ?? 'session-only', problem: this.problem };
    }
    return { state: 'signed-out', reason: null, problem: this.problem };
  }

  /** A bearer source for the cloud client while signed in; null otherwise (the API key is used). */
  bearer(): BearerTokenSource | null {
    if (!this.session.current()) return null;
    const who = this.who();
    return {
      token: () => this.session.accessToken(),
      afterInvalidToken: (rejected) => this.session.afterInvalidToken(rejected),
      label: who ? `the sign-in of ${who.who}` : 'the sign-in',
    };
  }

  /** The access token for the hub socket's upgrade, or null when not signed in. */
  async accessToken(): Promise<string | null> {
    await this.ready;
    return this.session.current() ? this.session.accessToken() : null;
  }

  async startBrowser(): Promise<SignInView> {
    this.cancel();
    const abort = new AbortController();
    this.abort = abort;
    this.problem = null;
    let opened!: () => void;
    const shown = new Promise<void>((resolve) => (opened = resolve));
    const flow = browserSignIn({
      apiBaseUrl: this.d.apiBaseUrl(),
      scopes: SIGN_IN_SCOPES,
      signal: abort.signal,
      ...(this.d.fetch ? { fetch: this.d.fetch } : {}),
      openBrowser: async (url) => {
        this.pending = { state: 'browser', authorizeUrl: url, expiresAt: this.now() + 5 * 60_000 };
        this.publish();
        opened();
        await this.d.openBrowser?.(url);
      },
    });
    void flow.then(
      (tokens) => (this.abort === abort ? this.completed(tokens) : undefined),
      (err: unknown) => (this.abort === abort ? this.failed(err) : undefined),
    );
    // Answer once the link is ready (or the start failed: metadata unreachable, no loopback port).
    await Promise.race([shown, flow.then(() => undefined)]).catch(() => undefined);
    return this.view();
  }

  async startDevice(): Promise<SignInView> {
    this.cancel();
    this.problem = null;
    try {
      const sign = await deviceSignIn({ apiBaseUrl: this.d.apiBaseUrl(), scopes: SIGN_IN_SCOPES, ...(this.d.fetch ? { fetch: this.d.fetch } : {}) });
      const a = sign.authorization;
      this.cancelDevice = sign.cancel;
      this.pending = {
        state: 'device',
        userCode: a.user_code,
        verificationUri: a.verification_uri,
        verificationUriComplete: a.verification_uri_complete ?? null,
        expiresAt: this.now() + a.expires_in * 1000,
      };
      const mine = sign.cancel;
      void sign.tokens.then(
        (tokens) => (this.cancelDevice === mine ? this.completed(tokens) : undefined),
        (err: unknown) => (this.cancelDevice === mine ? this.failed(err) : undefined),
      );
    } catch (err) {
      this.problem = messageOf(err);
    }
    return this.publish();
  }

  cancel(): SignInView {
    this.abort?.abort();
    this.abort = null;
    this.cancelDevice?.();
    this.cancelDevice = null;
    if (this.pending) {
      this.pending = null;
      this.publish();
    }
    return this.view();
  }

  async signOut(): Promise<SignInView> {
    this.cancel();
    await this.session.signOut();
    this.d.settings.delete(WHO_SETTING);
    this.problem = null;
    return this.publish();
  }

  private async completed(tokens: TokenSet): Promise<void> {
    this.abort = null;
    this.cancelDevice = null;
    this.pending = null;
    await this.session.signedIn(tokens);
    this.d.settings.set(WHO_SETTING, await this.lookUpWho(tokens));
    this.publish();
  }

  private failed(err: unknown): void {
    this.abort = null;
    this.cancelDevice = null;
    this.pending = null;
    this.problem = messageOf(err);
    this.publish();
  }

  /** Who the tokens belong to, as the cloud names the caller (`/api-keys/current`), and its organization. */
  private async lookUpWho(tokens: TokenSet): Promise<Who> {
    const client = createCloudClient({
      baseUrl: this.d.apiBaseUrl(),
      apiKey: () => null,
      bearer: { token: async () => tokens.accessToken, afterInvalidToken: async () => null, label: 'the new sign-in' },
      maxRetries: 1,
      ...(this.d.fetch ? { fetch: this.d.fetch } : {}),
    });
    const [current, test] = await Promise.allSettled([client.apiKeys.current(), client.auth.test()]);
    const name = current.status === 'fulfilled' ? current.value.name.replace(/^Signed in as /, '') : 'your AutoPrintFarm account';
    return {
      who: name,
      organization: test.status === 'fulfilled' ? test.value.organization : null,
      scopes: current.status === 'fulfilled' ? current.value.scopes : tokens.scopes,
      since: this.now(),
    };
  }

  private who(): Who | null {
    const raw = this.d.settings.get(WHO_SETTING) as Partial<Who> | undefined;
    if (!raw || typeof raw.who !== 'string' || !Array.isArray(raw.scopes)) return null;
    return {
      who: raw.who,
      organization: typeof raw.organization === 'string' ? raw.organization : null,
      scopes: raw.scopes.filter((s) => typeof s === 'string'),
      since: Number(raw.since) || 0,
    };
  }

  private newSession(): TokenSession {
    return new TokenSession({
      endpoint: async () => new TokenEndpoint({ metadata: await fetchMetadata(this.d.apiBaseUrl(), this.d.fetch), ...(this.d.fetch ? { fetch: this.d.fetch } : {}) }),
      store: this.d.store,
      now: this.now,
      onSignedOut: (reason) => {
        this.d.settings.delete(WHO_SETTING);
        this.problem = reason;
        this.publish();
      },
    });
  }

  private publish(): SignInView {
    const view = this.view();
    this.d.onChange(view);
    return view;
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
