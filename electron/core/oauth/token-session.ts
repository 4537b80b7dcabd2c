import { AppError } from '../errors';
import { OAuthError } from './errors';
import type { TokenEndpoint, TokenSet } from './token-endpoint';

/** Refresh this long before the access token expires, so a request never leaves with one about to die. */
export const REFRESH_AHEAD_MS = 60_000;

/** Where the tokens live between runs: the encrypted vault, never a plain file. */
export interface TokenStore {
  load(): Promise<TokenSet | null>;
  save(tokens: TokenSet | null): Promise<void>;
}

export interface TokenSessionDeps {
  endpoint(): Promise<TokenEndpoint>;
  store: TokenStore;
  now?: () => number;
  /** The cloud refused the refresh token: the user is signed out, and told why. */
  onSignedOut(reason: string): void;
}

/**
 * A signed-in user's tokens and their upkeep: the access token is refreshed 60 s before it expires, and once
 * more when the cloud calls it invalid; every caller shares the one refresh in flight (a refresh token is spent
 * by its use, so two refreshes at once would revoke the whole family). A refused refresh signs out with the
 * reason; a network failure keeps the tokens for the next try.
 */
export class TokenSession {
  private tokens: TokenSet | null = null;
  private refreshing: Promise<TokenSet> | null = null;
  private readonly now: () => number;
  readonly ready: Promise<void>;

  constructor(private readonly d: TokenSessionDeps) {
    this.now = d.now ?? Date.now;
    this.ready = d.store.load().then(
      (t) => void (this.tokens ??= t),
      () => undefined,
    );
  }

  current(): TokenSet | null {
    return this.tokens;
  }

  async signedIn(tokens: TokenSet): Promise<void> {
    this.tokens = tokens;
    await this.d.store.save(tokens);
  }

  /** A working access token: the current one, or a fresh one when it is within a minute of expiring. */
  async accessToken(): Promise<string> {
    await this.ready;
    const t = this.requireTokens();
    if (t.expiresAt - this.now() > REFRESH_AHEAD_MS) return t.accessToken;
    return (await this.refresh()).accessToken;
  }

  /**
   * The cloud answered `invalid_token` to `rejected`: refresh once (unless another caller already did) and
   * return the token to retry with, or null when there is none (signed out).
   */
  async afterInvalidToken(rejected: string): Promise<string | null> {
    await this.ready;
    if (!this.tokens) return null;
    if (this.tokens.accessToken !== rejected) return this.tokens.accessToken;
    try {
      return (await this.refresh()).accessToken;
    } catch (err) {
      if (err instanceof OAuthError) return null;
      throw err;
    }
  }

  /** Signs out here at once, then revokes both tokens at the cloud (best effort: offline, they simply expire). */
  async signOut(): Promise<void> {
    const t = this.tokens;
    this.tokens = null;
    await this.d.store.save(null);
    if (!t) return;
    const endpoint = await this.d.endpoint().catch(() => null);
    if (!endpoint) return;
    // The refresh token first: revoking it revokes its family, access tokens included, at a careful server.
    if (t.refreshToken) await endpoint.revoke(t.refreshToken, 'refresh_token').catch(() => undefined);
    await endpoint.revoke(t.accessToken, 'access_token').catch(() => undefined);
  }

  private refresh(): Promise<TokenSet> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<TokenSet> {
    const t = this.requireTokens();
    if (!t.refreshToken) {
      await this.end('The sign-in has expired and cannot be renewed. Sign in again.');
      throw new AppError('cloud_error', 'The sign-in has expired. Sign in again.');
    }
    const endpoint = await this.d.endpoint();
    try {
      const fresh = await endpoint.refresh(t.refreshToken, t.scopes);
      this.tokens = fresh;
      await this.d.store.save(fresh);
      return fresh;
    } catch (err) {
      if (err instanceof OAuthError) await this.end(`The cloud ended the sign-in (${err.message}) Sign in again to reconnect.`);
      throw err;
    }
  }

  private async end(reason: string): Promise<void> {
    this.tokens = null;
    await this.d.store.save(null);
    this.d.onSignedOut(reason);
  }

  private requireTokens(): TokenSet {
    if (!this.tokens) throw new AppError('cloud_error', 'Not signed in to AutoPrintFarm. Sign in, or enter an API key.');
    return this.tokens;
  }
}
