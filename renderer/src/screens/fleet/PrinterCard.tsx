import type { CameraView, PrinterView } from '../../../../electron/core/contract';
import type { SpoolView } from '../../../../electron/core/contract/materials-types';
import { CameraImage } from '../cameras/CameraImage';
import { LoadedSpoolLine } from '../spools/SpoolSwatch';
import type { MaintenanceDue } from '../maintenance/maintenance-summary';
import { formatHeater, stateDetail } from '../../components/format';
import { heatersOnWithoutPrint } from '../../components/heaters-on';
import { StatePill } from '../../components/StatePill';
import { navigate } from '../../store/use-route';
import { certificateHeadline } from '../printer/CertificatePanel';
import { credentialHeadline } from '../printer/credential-text';

// With 200 printers updating every second, laying out and painting the whole grid on every change cost ~5 ms a
// frame (bench:fleet). Containment keeps a card's changes inside it; content-visibility skips off-screen cards.
const CARD_STYLE = { contain: 'content', contentVisibility: 'auto', containIntrinsicSize: 'auto 120px' } as const;

export function PrinterCard({
  printer,
  camera = null,
  spool,
  maintenance = null,
  onCoolDown,
}: {
  printer: PrinterView;
  camera?: CameraView | null;
  spool: SpoolView | null;
  /** Maintenance due on this printer (the same object while nothing changes, so the card stays memoised). */
  maintenance?: MaintenanceDue | null;
  onCoolDown: (printerId: string) => void;
}) {
  const heatersOn = heatersOnWithoutPrint(printer);
  if (!heatersOn) return <CardBody printer={printer} camera={camera} spool={spool} maintenance={maintenance} />;
  // A card is one big button; the cool-down button sits under it, not inside it.
  return (
    <div className="card-slot" data-testid="printer-card-slot">
      <CardBody printer={printer} camera={camera} spool={spool} maintenance={maintenance} />
      <div className="card-strip" data-testid="heaters-on">
        <span>{heatersOn}</span>
        <button type="button" className="btn btn-small" onClick={() => onCoolDown(printer.id)}>
          Cool down
        </button>
      </div>
    </div>
  );
}

function CardBody({ printer, camera, spool, maintenance }: { printer: PrinterView; camera: CameraView | null; spool: SpoolView | null; maintenance: MaintenanceDue | null }) {
  const { hotend, bed } = printer.status.temperatures;
  const state = printer.status.state;
  const credential = state.kind === 'offline' ? state.credential : undefined;
  const certificate = state.kind === 'offline' ? state.certificate : undefined;
  // A key to enter again or a certificate to check is said plainly instead of the long offline reason; the printer page has the form.
  const detail = credential || certificate ? null : stateDetail(state);
  return (
    <button
      type="button"
      className="card printer-card"
      data-testid="printer-card"
      data-printer-id={printer.id}
      style={CARD_STYLE}
      onClick={() => navigate({ name: 'printer', printerId: printer.id })}
    >
      <div className="card-head">
        <span className="card-title">{printer.name}</span>
        <StatePill state={printer.status.state} />
      </div>
      <div className="card-sub muted">
        {printer.embedded ? 'Built-in virtual printer' : kindLabel(printer.kind)}
        {detail ? ` · ${detail}` : ''}
      </div>
      {certificate && (
        <div className="card-alert" data-testid="certificate-needed">
          {certificateHeadline(certificate)}. Open to check it.
        </div>
      )}
      {credential && (
        <div className="card-alert" data-testid="credential-needed">
          {credentialHeadline(credential)}. Open to enter it.
        </div>
      )}
      {maintenance && (
        <div className={maintenance.holding ? 'card-alert' : 'card-note'} data-testid="maintenance-due" title={maintenance.text}>
          Maintenance due: {maintenance.text}
          {maintenance.holding ? '. The queue holds it.' : ''}
        </div>
      )}
      {printer.notice && (
        <div className="card-note" data-testid="card-notice">
          {printer.notice.kind === 'made-safe' ? 'Made safe after a restart. Open to read more.' : printer.notice.message}
        </div>
      )}
      {camera && <CameraImage camera={camera} fps={1} className="card-camera" />}
      {printer.capabilities.print && (
        <div className="card-sub" style={{ fontSize: 13 }}>
          <LoadedSpoolLine spool={spool} />
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
