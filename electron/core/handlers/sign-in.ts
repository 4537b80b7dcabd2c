import type { SignInService } from '../cloud-account/sign-in-service';
import type { SIGN_IN_METHODS } from '../contract/names/sign-in';
import type { HandlersFor } from '../rpc/dispatch';

export function createSignInHandlers(signIn: SignInService): HandlersFor<(typeof SIGN_IN_METHODS)[number]> {
  return {
    'signIn.status': async () => {
      await signIn.ready;
      return signIn.view();
    },
    'signIn.browser': () => signIn.startBrowser(),
    'signIn.device': () => signIn.startDevice(),
    'signIn.cancel': async () => signIn.cancel(),
    'signIn.signOut': () => signIn.signOut(),
  };
}
