import type { SignInView } from '../sign-in-types';
import { none } from './common';
import { method } from './define';

export const signInMethods = {
  'signIn.status': method<SignInView>()({ input: none, capability: 'app:read', summary: 'Who is signed in to AutoPrintFarm and with which scopes; never a token.' }),
  'signIn.browser': method<SignInView>()({
    input: none,
    capability: 'keys:manage',
    summary: 'Starts "Sign in with AutoPrintFarm" in the system browser of this computer (PKCE, loopback redirect); the result arrives as a signIn.status event.',
  }),
  'signIn.device': method<SignInView>()({
    input: none,
    capability: 'keys:manage',
    summary: 'Starts signing in with a code typed on another device (RFC 8628); the answer carries the code and the link.',
  }),
  'signIn.cancel': method<SignInView>()({ input: none, capability: 'keys:manage', summary: 'Abandons a sign-in in progress.' }),
  'signIn.signOut': method<SignInView>()({ input: none, capability: 'keys:manage', summary: 'Signs out here and revokes both tokens at the cloud.' }),
};
