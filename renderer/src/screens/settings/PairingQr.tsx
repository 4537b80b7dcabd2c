import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/** A QR code of the pairing link, drawn here as SVG: nothing leaves the page to make it. */
export function PairingQr({ link }: { link: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }).then((svg) => {
      if (live) setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
    });
    return () => {
      live = false;
    };
  }, [link]);
  if (!src) return null;
  return (
    <img
      src={src}
      width={220}
      height={220}
      alt="QR code: scan it with the new device to open the pairing page with the code filled in"
      data-testid="pairing-qr"
      style={{ background: '#fff', imageRendering: 'pixelated' }}
    />
  );
}
