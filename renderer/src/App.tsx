import { AppFrame } from './components/AppFrame';
import { useTheme } from './components/use-theme';
import { CloudScreen } from './screens/cloud/CloudScreen';
import { FleetScreen } from './screens/fleet/FleetScreen';
import { HistoryScreen } from './screens/history/HistoryScreen';
import { SpoolLabelScreen } from './screens/spools/SpoolLabel';
import { SpoolsScreen } from './screens/spools/SpoolsScreen';
import { JobsScreen } from './screens/jobs/JobsScreen';
import { KeysScreen } from './screens/keys/KeysScreen';
import { LibraryScreen } from './screens/library/LibraryScreen';
import { PrinterScreen } from './screens/printer/PrinterScreen';
import { FirstRunSetup } from './screens/setup/first-run';
import { SetupScreen } from './screens/setup/SetupScreen';
import { SettingsScreen } from './screens/settings/SettingsScreen';
import { WallScreen } from './screens/wall/WallScreen';
import type { Route } from './store/route';
import { useCan } from './store/use-can';
import { useRoute } from './store/use-route';

function Screen({ route }: { route: Route }) {
  const manageKeys = useCan('keys:manage');
  switch (route.name) {
    case 'fleet':
    case 'wall':
      return <FleetScreen />;
    case 'printer':
      return <PrinterScreen key={route.printerId} printerId={route.printerId} />;
    case 'jobs':
      return <JobsScreen />;
    case 'library':
      return <LibraryScreen />;
    case 'spools':
      return <SpoolsScreen focus={route.spoolId ?? null} />;
    case 'spool-label':
      return null;
    case 'history':
      return <HistoryScreen />;
    case 'keys':
      return manageKeys ? (
        <KeysScreen />
      ) : (
        <section className="screen" data-testid="keys-not-allowed">
          <p className="notice">Keys are managed by the farm’s admin; this session’s role cannot see or change them.</p>
        </section>
      );
    case 'cloud':
      return <CloudScreen />;
    case 'settings':
      return <SettingsScreen />;
    case 'setup':
      return <SetupScreen />;
  }
}

export function App() {
  useTheme();
  const route = useRoute();
  // The wall is for a monitor on the farm-room wall: the whole screen, no sidebar.
  if (route.name === 'wall') return <WallScreen />;
  // A spool's label is printed on its own, on a label printer: no sidebar either.
  if (route.name === 'spool-label') return <SpoolLabelScreen spoolId={route.spoolId} />;
  return (
    <AppFrame route={route}>
      <FirstRunSetup route={route} />
      <Screen route={route} />
    </AppFrame>
  );
}
