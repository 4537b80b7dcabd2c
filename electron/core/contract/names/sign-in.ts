export const SIGN_IN_METHODS = ['signIn.status', 'signIn.browser', 'signIn.device', 'signIn.cancel', 'signIn.signOut'] as const;
