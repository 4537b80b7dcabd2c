import { useEffect } from 'react';
import type { Axis, Heater } from '../../../../electron/core/printers/model';
import { NO_PRINTER_CAPABILITIES } from '../../../../electron/core/contract/printer-model';
import { EmptyState } from '../../components/EmptyState';
import { stateDetail } from '../../components/format';
import { heatersOnWithoutPrint } from '../../components/heaters-on';
import { StatePill } from '../../components/StatePill';
import { TemperatureChart } from '../../components/TemperatureChart';
import { useNow } from '../../components/use-now';
import { useApp, useAppState } from '../../store/context';
import { useCan } from '../../store/use-can';
import { navigate } from '../../store/use-route';
import { CameraPanel } from '../cameras/CameraPanel';
import { kindLabel } from '../fleet/PrinterCard';
import { ConsolePanel } from './ConsolePanel';
import { CertificatePanel } from './CertificatePanel';
import { CredentialPanel, PlaintextCredentialWarning } from './CredentialPanel';
import { JobPanel } from './JobPanel';
import { JogPanel } from './JogPanel';
import { LightPanel } from './LightPanel';
import { TraysPanel } from './TraysPanel';
import { HeatersOnPanel, PrinterNoticePanel } from './NoticePanels';
import { MaterialPresets } from './MaterialPresets';
import { SerialSettingsPanel } from './SerialSettingsPanel';
import { SpoolPanel } from './SpoolPanel';
import { RunningCostPanel } from './RunningCostPanel';
import { useSpools } from '../spools/use-spools';
import { MaintenancePanel } from '../maintenance/MaintenancePanel';
import { useMaintenance } from '../maintenance/use-maintenance';
import { TemperatureControl } from './TemperatureControl';
import { ToolPanel } from './ToolPanel';

const EMPTY: never[] = [];

export function PrinterScreen({ printerId }: { printerId: string }) {
  const { api, actions } = useApp();
  const printer = useAppState((s) => s.printers[printerId]);
  const samples = useAppState((s) => s.samples[printerId] ?? EMPTY);
  const connected = useAppState((s) => s.connection.kind === 'open');
  const now = useNow();
  // A viewer sees the printer; an operator controls it; only an admin removes it or changes its credentials.
  const control = useCan('fleet:control');
  const manage = useCan('fleet:manage');
  const spools = useSpools();
  const maintenance = useMaintenance();

  useEffect(() => {
    void actions.attempt(() => actions.loadHistory(printerId));
  }, [printerId, actions]);

  if (!printer) {
    return (
      <section className="screen">
        <EmptyState title="Printer not found">
          It may have been removed. <a href="#/fleet">Back to the fleet</a>
        </EmptyState>
      </section>
    );
  }

  const state = printer.status.state;
  const online = connected && state.kind !== 'offline' && state.kind !== 'connecting';
  // Includes pausing, resuming and cancelling (`state.phase`): the job is still on the printer until it ends.
  const printing = state.kind === 'printing' || state.kind === 'paused';
  // Moving the head, extruding or typing G-code mid-print would ruin the print: those wait until it ends.
  const manual = online && !printing;
  // A role without control sees none of the printer's controls.
  const caps = control ? printer.capabilities : NO_PRINTER_CAPABILITIES;
  // Never rejects: actions.attempt turns a failure into a toast, so a click handler may start it with `void`.
  const run = (work: () => Promise<unknown>, done?: string) => async () => {
    const ok = await actions.attempt(work);
    if (ok !== undefined && done) actions.toast('info', done);
  };
  const setTemperature = (heater: Heater) => (celsius: number) =>
    run(() => api.call('printers.setTemperature', { printerId, heater, celsius }), `${heater === 'hotend' ? 'Hotend' : 'Bed'} set to ${celsius} °C.`)();
  const preheat = (hotend: number, bed: number, name: string) =>
    run(async () => {
      await api.call('printers.setTemperature', { printerId, heater: 'hotend', celsius: hotend });
      await api.call('printers.setTemperature', { printerId, heater: 'bed', celsius: bed });
      return true;
    }, `Preheating for ${name}: hotend ${hotend} °C, bed ${bed} °C.`)();
  const home = (axes?: Axis[]) => void run(() => api.call('printers.home', { printerId, axes }))();
  const remove = async () => {
    if (!window.confirm(`Remove ${printer.name} from the fleet? Its settings are forgotten.`)) return;
    const done = await actions.attempt(() => api.call('printers.remove', { printerId }));
    if (done) navigate({ name: 'fleet' });
  };
  const emergencyStop = () => {
    if (!window.confirm('Emergency stop: heaters off and motion halted at once. The printer will need a reset (reconnect) afterwards. Stop now?')) return;
    void run(() => api.call('printers.emergencyStop', { printerId }), 'Emergency stop sent.')();
  };
  const detail = stateDetail(state);
  const credential = state.kind === 'offline' ? state.credential : undefined;
  const certificate = state.kind === 'offline' ? state.certificate : undefined;
  const heatersOn = heatersOnWithoutPrint(printer);
  const coolDown = () => void run(() => api.call('printers.coolDown', { printerId }), 'Heaters and fan switched off, motors released.')();

  return (
    <section className="screen" aria-labelledby="printer-title">
      <header className="screen-head">
        <div>
          <a href="#/fleet" className="back">
            ← Fleet
          </a>
          <h1 id="printer-title">{printer.name}</h1>
          <p className="muted">
            {printer.embedded ? 'Built-in virtual printer: no hardware needed' : kindLabel(printer.kind)}
            {printer.status.firmware ? ` · ${printer.status.firmware.name}` : ''}
          </p>
        </div>
        <div className="head-actions">
          <StatePill state={state} />
          {caps.emergencyStop && (
            <button type="button" className="btn btn-stop" onClick={emergencyStop} disabled={!online} title="M112: stop everything now">
              Emergency stop
            </button>
          )}
          {!control ? null : state.kind === 'offline' || state.kind === 'error' ? (
            <button type="button" className="btn" onClick={() => void run(() => api.call('printers.connect', { printerId }))()}>
              Connect
            </button>
          ) : (
            <button type="button" className="btn btn-quiet" onClick={() => void run(() => api.call('printers.disconnect', { printerId }))()} disabled={printing}>
              Disconnect
            </button>
          )}
          {manage && (
            <button type="button" className="btn btn-danger" onClick={() => void remove()} disabled={printing}>
              Remove
            </button>
          )}
        </div>
      </header>
      {printer.notice && <PrinterNoticePanel notice={printer.notice} onDismiss={() => void run(() => api.call('printers.dismissNotice', { printerId }))()} />}
      {heatersOn && <HeatersOnPanel text={heatersOn} disabled={!online} onCoolDown={coolDown} />}
      {printer.credentialStorage === 'plaintext' && (
        <PlaintextCredentialWarning what={printer.kind === 'bambu' ? 'access code' : printer.kind === 'prusalink' ? 'password' : 'API key'} />
      )}
      {certificate ? (
        <CertificatePanel printerId={printerId} certificate={certificate} canTrust={manage} />
      ) : credential && manage ? (
        <CredentialPanel printerId={printerId} credential={credential} storage={printer.credentialStorage} />
      ) : (
        detail && !printing && <p className="notice">{detail}</p>
      )}
      {printing && (
        <JobPanel
          state={state}
          now={now}
          controls={
            control
              ? {
                  onPause: () => void run(() => api.call('printers.pause', { printerId }))(),
                  onResume: () => void run(() => api.call('printers.resume', { printerId }))(),
                  onCancel: () => {
                    if (window.confirm(`Cancel ${state.job.fileName}? The print cannot be resumed afterwards.`)) void run(() => api.call('printers.cancel', { printerId }))();
                  },
                }
              : null
          }
        />
      )}
      <CameraPanel printerId={printerId} printerKind={printer.kind} />
      {printer.capabilities.print && <SpoolPanel printerId={printerId} spools={spools} />}
      <MaintenancePanel printerId={printerId} tasks={maintenance.get(printerId) ?? EMPTY} />
      {printer.capabilities.print && <RunningCostPanel printerId={printerId} />}
      <div className="panel">
        <h2>Temperatures</h2>
        <TemperatureChart samples={samples} />
      </div>
      <div className="panel-row">
        {caps.setTemperature && (
          <div className="panel">
            <h2>Heaters</h2>
            <TemperatureControl heater="hotend" reading={printer.status.temperatures.hotend} disabled={!online} onSet={setTemperature('hotend')} />
            <TemperatureControl heater="bed" reading={printer.status.temperatures.bed} disabled={!online} onSet={setTemperature('bed')} />
            <MaterialPresets disabled={!online} onPreset={(hotend, bed, name) => void preheat(hotend, bed, name)} onCooldown={() => void preheat(0, 0, 'cool-down')} />
          </div>
        )}
        {(caps.home || caps.jog) && (
          <div className="panel">
            <h2>Motion</h2>
            <JogPanel
              disabled={!manual}
              onJog={(axis, mm) => void run(() => api.call('printers.jog', { printerId, [axis]: mm }))()}
              onHome={home}
              onMotorsOff={() => void run(() => api.call('printers.motorsOff', { printerId }))()}
            />
            {printer.status.position && (
              <p className="muted position" data-testid="position">
                X {printer.status.position.x.toFixed(2)} · Y {printer.status.position.y.toFixed(2)} · Z {printer.status.position.z.toFixed(2)}
              </p>
            )}
            {printing && <p className="muted">Manual moves are disabled while printing.</p>}
          </div>
        )}
      </div>
      <div className="panel-row">
        {(caps.extrude || caps.fan) && (
          <div className="panel">
            <h2>Extruder and fan</h2>
            <ToolPanel
              disabled={!manual}
              onExtrude={(mm) => void run(() => api.call('printers.extrude', { printerId, mm }))()}
              onFan={(percent) => void run(() => api.call('printers.setFan', { printerId, percent }))()}
            />
          </div>
        )}
        {caps.console && (
          <div className="panel">
            <h2>Console</h2>
            <ConsolePanel printerId={printerId} disabled={!manual} />
          </div>
        )}
        {printer.status.trays && (
          <div className="panel">
            <h2>Filament loaded</h2>
            <TraysPanel printerId={printerId} trays={printer.status.trays} spools={spools} />
          </div>
        )}
        {caps.light && (
          <div className="panel">
            <h2>Light</h2>
            <LightPanel light={printer.status.light} disabled={!online} onSet={(on) => void run(() => api.call('printers.setLight', { printerId, on }))()} />
          </div>
        )}
      </div>
      {printer.kind === 'marlin' && manage && <SerialSettingsPanel printerId={printerId} printing={printing} />}
    </section>
  );
}
