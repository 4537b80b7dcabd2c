import { useEffect } from 'react';
import type { Axis, Heater } from '../../../../electron/core/printers/model';
import { EmptyState } from '../../components/EmptyState';
import { stateDetail } from '../../components/format';
import { StatePill } from '../../components/StatePill';
import { TemperatureChart } from '../../components/TemperatureChart';
import { useApp, useAppState } from '../../store/context';
import { navigate } from '../../store/use-route';
import { kindLabel } from '../fleet/PrinterCard';
import { TemperatureControl } from './TemperatureControl';

const EMPTY: never[] = [];

export function PrinterScreen({ printerId }: { printerId: string }) {
  const { api, actions } = useApp();
  const printer = useAppState((s) => s.printers[printerId]);
  const samples = useAppState((s) => s.samples[printerId] ?? EMPTY);
  const connected = useAppState((s) => s.connection.kind === 'open');

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
  const caps = printer.capabilities;
  const setTemperature = (heater: Heater) => async (celsius: number) => {
    const done = await actions.attempt(() => api.call('printers.setTemperature', { printerId, heater, celsius }));
    if (done) actions.toast('info', `${heater === 'hotend' ? 'Hotend' : 'Bed'} set to ${celsius} °C.`);
  };
  const home = (axes?: Axis[]) => () => void actions.attempt(() => api.call('printers.home', { printerId, axes }));
  const remove = async () => {
    if (!window.confirm(`Remove ${printer.name} from the fleet? Its settings are forgotten.`)) return;
    const done = await actions.attempt(() => api.call('printers.remove', { printerId }));
    if (done) navigate({ name: 'fleet' });
  };
  const detail = stateDetail(state);

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
          {state.kind === 'offline' ? (
            <button type="button" className="btn" onClick={() => void actions.attempt(() => api.call('printers.connect', { printerId }))}>
              Connect
            </button>
          ) : (
            <button type="button" className="btn btn-quiet" onClick={() => void actions.attempt(() => api.call('printers.disconnect', { printerId }))}>
              Disconnect
            </button>
          )}
          <button type="button" className="btn btn-danger" onClick={remove}>
            Remove
          </button>
        </div>
      </header>
      {detail && <p className="notice">{detail}</p>}
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
          </div>
        )}
        {caps.home && (
          <div className="panel">
            <h2>Motion</h2>
            <div className="row">
              <button type="button" className="btn" onClick={home()} disabled={!online}>
                Home all
              </button>
              {(['x', 'y', 'z'] as const).map((axis) => (
                <button key={axis} type="button" className="btn btn-quiet" onClick={home([axis])} disabled={!online}>
                  Home {axis.toUpperCase()}
                </button>
              ))}
            </div>
            {printer.status.position && (
              <p className="muted position" data-testid="position">
                X {printer.status.position.x.toFixed(2)} · Y {printer.status.position.y.toFixed(2)} · Z {printer.status.position.z.toFixed(2)}
              </p>
            )}
          </div>
        )}
      </div>
    </section>
  );
}
