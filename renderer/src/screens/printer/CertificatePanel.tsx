import { useState } from 'react';
import type { CertificateProblem } from '../../../../electron/core/printers/model';
import { useFormAction } from '../../components/use-form-action';
import { useApp } from '../../store/context';

/** The card's one line: what the printer waits for, in a few words. */
export function certificateHeadline(certificate: CertificateProblem): string {
  switch (certificate.problem) {
    case 'unknown':
      return 'Check its certificate before the access code is sent';
    case 'changed':
      return '⚠ Its certificate changed: the access code was not sent';
    case 'wrong-printer':
      return 'Another printer answered at this address';
  }
}

/**
 * Shown when the app refused a Bambu printer's certificate, before sending it anything. The full fingerprint
 * is what the admin compares; trusting it pins that certificate, and only that one. A changed certificate
 * asks for a second, explicit confirmation, since it is what an impostor would present.
 */
export function CertificatePanel({ printerId, certificate, canTrust }: { printerId: string; certificate: CertificateProblem; canTrust: boolean }) {
  const { api, actions } = useApp();
  const { busy, error, run } = useFormAction();
  const [confirmChange, setConfirmChange] = useState(false);
  const changed = certificate.problem === 'changed';
  const trustable = certificate.problem !== 'wrong-printer';

  const trust = () =>
    void run(async () => {
      const printer = await api.call('printers.trustCertificate', { printerId, sha256: certificate.sha256 });
      actions.toast('info', `${printer.name}: certificate trusted. Connecting…`);
    });

  return (
    <div
      className={`panel certificate-panel${changed ? ' panel-danger' : ''}`}
      data-testid="certificate-panel"
      data-problem={certificate.problem}
      role={changed ? 'alert' : undefined}
    >
      <h2>{certificateHeadline(certificate)}</h2>
      {certificate.problem === 'unknown' && (
        <p>
          This printer presented a certificate that Bambu Lab&apos;s CA did not sign, so the app has not sent it the access code. If this is your printer on your own network, trust
          this certificate once: from then on the app refuses any other at this printer, so no one else on the network can pose as it.
        </p>
      )}
      {changed && (
        <p>
          The printer presented a <strong>different certificate</strong> from the one you trusted. Someone on the network may be impersonating it to collect its access code. Trust
          the new one only if you know why it changed (the printer was reset, repaired or replaced).
        </p>
      )}
      {certificate.problem === 'wrong-printer' && (
        <p>
          Bambu Lab&apos;s certificate at this address is for printer <strong className="mono">{certificate.subject}</strong>. Check the serial number (on the printer: Settings →
          Device) and the address; nothing was sent.
        </p>
      )}
      <dl className="facts">
        <dt>SHA-256</dt>
        <dd className="mono fingerprint" data-testid="certificate-sha256">
          {certificate.sha256}
        </dd>
        {changed && certificate.pinnedSha256 && (
          <>
            <dt>Trusted before</dt>
            <dd className="mono fingerprint">{certificate.pinnedSha256}</dd>
          </>
        )}
        <dt>Issued to</dt>
        <dd className="mono">{certificate.subject || '(no name)'}</dd>
        <dt>Issued by</dt>
        <dd className="mono">{certificate.issuer || '(no name)'}</dd>
        <dt>Valid until</dt>
        <dd>{new Date(certificate.validTo).toLocaleDateString()}</dd>
      </dl>
      {trustable && canTrust && (
        <div className="row">
          {changed && (
            <label className="choice">
              <input type="checkbox" checked={confirmChange} onChange={(e) => setConfirmChange(e.target.checked)} data-testid="certificate-confirm-change" />I know why this
              printer&apos;s certificate changed
            </label>
          )}
          <button type="button" className={changed ? 'btn btn-danger' : 'btn'} onClick={trust} disabled={busy || (changed && !confirmChange)} data-testid="certificate-trust">
            {busy ? 'Checking…' : changed ? 'Trust the new certificate' : 'Trust this certificate'}
          </button>
        </div>
      )}
      {trustable && !canTrust && <p className="muted">An admin can check and trust this certificate.</p>}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
