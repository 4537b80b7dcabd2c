import type { PrinterView } from '../../../../electron/core/contract';
import { formatHeater, stateDetail } from '../../components/format';
import { StatePill } from '../../components/StatePill';
import { navigate } from '../../store/use-route';
import { credentialHeadline } from '../printer/credential-text';

// With 200 printers updating every second, laying out and painting the whole grid on every change cost ~5 ms a
// frame (bench:fleet). Containment keeps a card's changes inside it; content-visibility skips off-screen cards.
const CARD_STYLE = { contain: 'content', contentVisibility: 'auto', containIntrinsicSize: 'auto 120px' } as const;

export function PrinterCard({ printer }: { printer: PrinterView }) {
  const { hotend, bed } = printer.status.temperatures;
  const state = printer.status.state;
  const credential = state.kind === 'offline' ? state.credential : undefined;
  // A key to enter again is said plainly instead of the long offline reason; the printer page has the form.
  const detail = credential ? null : stateDetail(state);
  return (
    <button type="button" className="card printer-card" data-testid="printer-card" data-printer-id={printer.id} style={CARD_STYLE} onClick={() => navigate({ name: 'printer', printerId: printer.id })}>
      <div className="card-head">
        <span className="card-title">{printer.name}</span>
        <StatePill state={printer.status.state} />
      </div>
      <div className="card-sub muted">
        {printer.embedded ? 'Built-in virtual printer' : kindLabel(printer.kind)}
        {detail ? ` · ${detail}` : ''}
      </div>
      {credential && (
        <div className="card-alert" data-testid="credential-needed">
          {credentialHeadline(credential)}. Open to enter it.
        </div>
      )}
      <dl className="temps">
        <div>
          <dt>Hotend</dt>
          <dd data-testid="hotend-temp">{formatHeater(hotend)}</dd>
        </div>
        <div>
          <dt>Bed</dt>
          <dd data-testid="bed-temp">{formatHeater(bed)}</dd>
        </div>
      </dl>
    </button>
  );
}

const KIND_LABEL: Record<PrinterView['kind'], string> = {
  virtual: 'Virtual printer',
  marlin: 'USB (Marlin)',
  octoprint: 'OctoPrint',
  moonraker: 'Klipper (Moonraker)',
  prusalink: 'PrusaLink',
  bambu: 'Bambu Lab (LAN)',
};

export function kindLabel(kind: PrinterView['kind']): string {
  return KIND_LABEL[kind];
}
