import type { Theme } from '../../../../electron/core/contract';
import { useApp, useAppState } from '../../store/context';
import { useCan } from '../../store/use-can';
import { CloudConnectionPanel } from '../setup/CloudConnectionPanel';
import { AccessAdminPanels, ConnectionPanel } from './AccessPanels';
import { CostSettingsPanel } from './CostSettingsPanel';
import { SpoolmanPanel } from './SpoolmanPanel';

const THEMES: { value: Theme; label: string }[] = [
  { value: 'system', label: 'Follow the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

export function SettingsScreen() {
  const { api, actions } = useApp();
  const settings = useAppState((s) => s.settings);
  const info = useAppState((s) => s.info);
  const canWrite = useCan('settings:write');
  const admin = useCan('keys:manage');

  return (
    <section className="screen" aria-labelledby="settings-title">
      <header className="screen-head">
        <h1 id="settings-title">Settings</h1>
      </header>
      <div className="panel">
        <h2>Appearance</h2>
        <fieldset className="choices">
          <legend className="sr-only">Theme</legend>
          {THEMES.map((t) => (
            <label key={t.value} className="choice">
              <input
                type="radio"
                name="theme"
                value={t.value}
                checked={settings?.theme === t.value}
                disabled={!canWrite}
                onChange={() => void actions.attempt(() => api.call('settings.update', { theme: t.value }))}
              />
              {t.label}
            </label>
          ))}
        </fieldset>
      </div>
      <CostSettingsPanel />
      <ConnectionPanel />
      {admin && <CloudConnectionPanel />}
      {canWrite && <SpoolmanPanel />}
      <AccessAdminPanels />
      {info && (
        <div className="panel">
          <h2>About</h2>
          <dl className="facts">
            <dt>Version</dt>
            <dd>{info.version}</dd>
            <dt>Running as</dt>
            <dd>{info.host === 'desktop' ? 'Desktop app' : 'Headless host (apf serve)'}</dd>
            <dt>Data folder</dt>
            <dd className="mono">{info.dataDir}</dd>
          </dl>
        </div>
      )}
    </section>
  );
}
