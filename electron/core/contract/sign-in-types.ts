/** "Sign in with AutoPrintFarm" as the renderer sees it (oauth.md). Types only; no token ever appears here. */

/** The scopes this app asks for at sign-in: what the hub and the cloud screens use, nothing more. */
export const SIGN_IN_SCOPES = ['printers:read', 'printers:write', 'jobs:read', 'jobs:write'] as const;

export type SignInState =
  | { state: 'signed-out'; reason: string | null }
  /** Waiting for the browser on this computer; the page is at `authorizeUrl`. */
  | { state: 'browser'; authorizeUrl: string; expiresAt: number }
  /** Waiting for the person to type `userCode` at `verificationUri` on another device. */
  | { state: 'device'; userCode: string; verificationUri: string; verificationUriComplete: string | null; expiresAt: number }
  | {
      state: 'signed-in';
      who: string;
      organization: string | null;
      scopes: string[];
      since: number;
      /**
       * `saved`: in the credential store, under the same keyring policy as printer secrets (so the next start is
       * signed in too); `session-only`: no keyring here, so the sign-in lasts only while this app runs.
       */
      kept: 'saved' | 'session-only';
    };

export type SignInView = SignInState & {
  /** A sign-in that failed or ended, in words for the user, until the next attempt. */
  problem: string | null;
};
