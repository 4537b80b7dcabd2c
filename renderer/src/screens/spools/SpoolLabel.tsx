import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import type { SpoolView } from '../../../../electron/core/contract/materials-types';
import { gramsText } from './spool-list';
import { spoolQrText } from './use-spoolman';
import { useSpools } from './use-spools';
import './spool-label.css';

/**
 * A label for one spool, 62 mm wide (Brother DK-22205 and the like) and 40 mm long, printed with the browser's print
 * dialog: `@page` sets the paper, and everything but the label is hidden when printing. The QR code is drawn here as
 * SVG; it holds Spoolman's own link for a Spoolman spool, or this app's page of the spool.
 */

export function SpoolLabelScreen({ spoolId }: { spoolId: string }) {
  const spools = useSpools();
  const spool = spools.find((s) => s.id === spoolId) ?? null;
  return (
    <main className="label-page" style={{ padding: 24 }}>
      <div className="label-toolbar row" style={{ gap: 8, marginBottom: 16 }}>
        <a className="btn btn-quiet" href="#/spools">
          Back to spools
        </a>
        <button type="button" className="btn" onClick={() => window.print()} disabled={!spool} data-testid="label-print">
          Print
        </button>
        <span className="muted">Sized for 62 mm label tape; choose the label printer and 100 % scale in the print dialog.</span>
      </div>
      {spool ? <SpoolLabel spool={spool} /> : <p className="muted">Loading the spool…</p>}
    </main>
  );
}

export function SpoolLabel({ spool }: { spool: SpoolView }) {
  const appUrl = `${window.location.origin}${window.location.pathname}`;
  const text = spoolQrText(spool, appUrl);
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 }).then((svg) => {
      if (live) setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
    });
    return () => {
      live = false;
    };
  }, [text]);
  const id = spool.spoolman ? `Spoolman #${spool.spoolman.id}` : spool.id.slice(0, 8);
  return (
    <div className="spool-label" data-testid="spool-label" data-qr-text={text}>
      {src ? <img className="qr" src={src} alt={`QR code: ${text}`} data-testid="spool-label-qr" /> : <span className="qr" />}
      <div className="text">
        <span className="material line">{spool.material || '—'}</span>
        <span className="line">{spool.brand}</span>
        <span className="line wrap">
          <span className="swatch" style={{ background: spool.colourHex }} />
          {spool.colourName || spool.colourHex}
        </span>
        <span className="line">
          {gramsText(spool.netWeightG)} · {spool.diameterMm} mm
        </span>
        {spool.lot ? <span className="line small">Lot {spool.lot}</span> : null}
        <span className="line small mono">{id}</span>
      </div>
    </div>
  );
}
