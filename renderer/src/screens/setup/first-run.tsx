import { useCan } from '../../store/use-can';
import { useEffect, useRef } from 'react';
import type { Route } from '../../store/route';
import { useAppState } from '../../store/context';
import { navigate } from '../../store/use-route';
import { useCloudStatus } from './use-cloud-status';

/**
 * First run without a key. The desktop app opens the setup wizard once; a headless host (a farm PC whose
 * page anyone with the link may open, often a wall display) shows a banner instead of taking over the screen.
 */
export function FirstRunSetup({ route }: { route: Route }) {
  const status = useCloudStatus();
  const host = useAppState((s) => s.info?.host ?? null);
  const redirected = useRef(false);
  // Setting up the cloud is an admin's job; other sessions are not pointed at it.
  const canSetUp = useCan('keys:manage');
  const offer = status?.offerSetup === true && route.name !== 'setup' && canSetUp;

  useEffect(() => {
    if (offer && host === 'desktop' && !redirected.current) {
      redirected.current = true;
      navigate({ name: 'setup' });
    }
  }, [offer, host]);

  if (!offer || host !== 'headless') return null;
  return (
    <div className="notice row" data-testid="setup-banner" style={{ justifyContent: 'space-between', marginBottom: 16, gap: 12 }}>
      <span>{status.key.state === 'needs-reentry' ? status.key.message : 'Connect this farm to the AutoPrintFarm cloud with an API key, or keep using it offline.'}</span>
      <a className="btn" href="#/setup">
        Set up cloud key
      </a>
    </div>
  );
}
