import { useEffect, useState } from 'react';
import type { SignInView } from '../../../../electron/core/contract/sign-in-types';
import { useApp, useAppState } from '../../store/context';

/** Who is signed in with AutoPrintFarm (never a token), kept fresh by the `signIn.status` event. */
export function useSignIn(): [SignInView | null, (v: SignInView) => void] {
  const { api } = useApp();
  const connected = useAppState((s) => s.connection.kind === 'open');
  const [view, setView] = useState<SignInView | null>(null);
  useEffect(() => api.on('signIn.status', setView), [api]);
  useEffect(() => {
    if (!connected) return;
    let live = true;
    api.call('signIn.status').then(
      (v) => live && setView(v),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api, connected]);
  return [view, setView];
}
