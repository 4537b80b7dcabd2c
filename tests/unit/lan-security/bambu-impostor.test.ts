import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client as FtpClient } from 'basic-ftp';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrinterView } from '../../../electron/core/contract';
import type { Core } from '../../../electron/core/core';
import { createMemorySettingsStore } from '../../../electron/core/ports/settings-store';
import { BambuDriver, type BambuDriverOptions } from '../../../electron/core/printers/bambu/driver';
import { readPresentedCertificate } from '../../../electron/core/printers/bambu/printer-certificate';
import { readTrustAnchors } from '../../../electron/core/printers/bambu/trust-anchors';
import { CertificateError } from '../../../electron/core/printers/lan-common/certificate-error';
import { startBambuPeer, type BambuPeer } from '../../peers/bambu-peer';
import { issuePrinterCert, makeTestCa, makeTestCert, type TestCa, type TestCert } from '../../peers/certs';
import { startRecordingTlsServer } from '../../peers/recording-tls-server';
import { call, lanCore, printerState } from '../lan/core-support';
import { fastBackoff, memorySource, GCODE } from '../lan/support';

// Attack: someone on the farm's network answers at a Bambu printer's address (ARP spoofing, a rogue access
// point, a reused IP) to collect its access code, which is the printer's only password. Every connection
// checks the certificate during the handshake, so nothing of ours is sent to a certificate that is neither
// signed by Bambu's CA for this serial nor the one the user pinned.

const SERIAL = '01P00A000000777';
let ca: TestCa;
let genuine: BambuPeer;
let impostor: BambuPeer;
let impostorCert: TestCert;

beforeAll(async () => {
  ca = makeTestCa();
  [genuine, impostor] = await Promise.all([
    startBambuPeer({ serial: SERIAL, accessCode: 'GENUINE1', ca }),
    // A real broker and FTPS server with a self-signed certificate carrying the right serial.
    startBambuPeer({ serial: SERIAL, accessCode: 'unknown0', certificate: 'self-signed' }),
  ]);
  impostorCert = makeTestCert(SERIAL);
});
afterAll(async () => {
  await Promise.all([genuine?.close(), impostor?.close()]);
  impostorCert?.remove();
  ca?.remove();
});

function driver(at: { mqttPort: number; ftpPort: number }, trust: BambuDriverOptions['trust']): BambuDriver {
  return new BambuDriver({ host: '127.0.0.1', serial: SERIAL, ...at, trust, backoff: fastBackoff, keepaliveS: 1, secret: async () => genuine.accessCode });
}

const anchored = () => ({ anchors: [ca.pem], pin: null });

describe('a Bambu printer reached over TLS', () => {
  it("connects and uploads over MQTT and FTPS when Bambu's CA (a test CA here) signed the certificate for its serial", async () => {
    const d = driver(genuine, anchored());
    try {
      await d.connect();
      await d.startPrint(memorySource('verified.gcode', GCODE));
      expect(genuine.ftp.files.has('verified.gcode')).toBe(true);
    } finally {
      genuine.printer.cancel();
      await d.dispose();
    }
  });

  it('refuses a self-signed impostor broker during the handshake: it never sees a login, and the user is shown its fingerprint to check', async () => {
    const d = driver(impostor, anchored());
    try {
      const err = await d.connect().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CertificateError);
      expect(err).toMatchObject({ certificate: { problem: 'unknown', sha256: impostor.certSha256, subject: SERIAL } });
      expect((err as Error).message).toContain('the access code was not sent');
      expect(d.status().state).toMatchObject({ kind: 'offline', certificate: { problem: 'unknown', sha256: impostor.certSha256 } });
      expect(impostor.brokerLog()).not.toMatch(/New client connected .* as apf_/);
      expect(impostor.ftp.logins).toEqual([]);
    } finally {
      await d.dispose();
    }
  });

  it('sends not one byte to an impostor at the MQTT port, while a client that skips the check hands it the access code', async () => {
    const recorder = await startRecordingTlsServer(impostorCert);
    try {
      const d = driver({ mqttPort: recorder.port, ftpPort: genuine.ftpPort }, anchored());
      await expect(d.connect()).rejects.toBeInstanceOf(CertificateError);
      await d.dispose();
      expect(recorder.received().length).toBe(0);

      // The control: what the driver did before this check (rejectUnauthorized: false) gives the code away.
      const careless = mqtt.connect({
        protocol: 'mqtts',
        host: '127.0.0.1',
        port: recorder.port,
        username: 'bblp',
        password: genuine.accessCode,
        rejectUnauthorized: false,
        reconnectPeriod: 0,
        connectTimeout: 1000,
      });
      careless.on('error', () => undefined);
      await expect.poll(() => recorder.received().includes(genuine.accessCode)).toBe(true);
      careless.end(true);
    } finally {
      await recorder.close();
    }
  });

  it('gives an impostor at the FTPS port neither the access code nor the file, though the MQTT link is genuine', async () => {
    const recorder = await startRecordingTlsServer(impostorCert, { greeting: '220 Bambu FTP ready\r\n' });
    const d = driver({ mqttPort: genuine.mqttPort, ftpPort: recorder.port }, anchored());
    try {
      await d.connect();
      const err = await d.startPrint(memorySource('secret-part.gcode', GCODE)).catch((e: unknown) => e);
      expect(err).toMatchObject({ certificate: { problem: 'unknown', sha256: impostorCert.sha256 } });
      expect(recorder.received().length).toBe(0);

      const careless = new FtpClient(2000);
      await careless
        .access({ host: '127.0.0.1', port: recorder.port, user: 'bblp', password: genuine.accessCode, secure: 'implicit', secureOptions: { rejectUnauthorized: false } })
        .catch(() => undefined);
      careless.close();
      expect(recorder.received().toString('latin1')).toContain(`PASS ${genuine.accessCode}`);
    } finally {
      await d.dispose();
      await recorder.close();
    }
  });

  it('refuses a pinned printer whose certificate changed, naming both fingerprints, and sends nothing', async () => {
    const presented = await readPresentedCertificate({ host: '127.0.0.1', port: genuine.mqttPort, anchors: [] });
    const d = driver(impostor, { anchors: [ca.pem], pin: { sha256: presented.sha256, pem: presented.pem, pinnedAt: new Date().toISOString() } });
    try {
      const err = await d.connect().catch((e: unknown) => e);
      expect(err).toMatchObject({ certificate: { problem: 'changed', sha256: impostor.certSha256, pinnedSha256: genuine.certSha256 } });
      expect((err as Error).message).toMatch(/different certificate from the one you trusted.*impersonating/);
      expect(impostor.brokerLog()).not.toMatch(/New client connected .* as apf_/);
    } finally {
      await d.dispose();
    }
  });

  it("refuses Bambu's certificate for another printer, so a wrong address is found rather than trusted", async () => {
    const other = issuePrinterCert(ca, '01P00A000000999');
    const recorder = await startRecordingTlsServer(other);
    const d = driver({ mqttPort: recorder.port, ftpPort: recorder.port }, anchored());
    try {
      const err = await d.connect().catch((e: unknown) => e);
      expect(err).toMatchObject({ certificate: { problem: 'wrong-printer', subject: '01P00A000000999' } });
      expect(recorder.received().length).toBe(0);
    } finally {
      await d.dispose();
      await recorder.close();
      other.remove();
    }
  });
});

describe('trusting a Bambu printer whose certificate no bundled CA signed', () => {
  let core: Core | null = null;
  afterAll(async () => core?.close());

  it('pins only the fingerprint the user checked; the pin survives a restart and the printer connects without asking again', async () => {
    const settings = createMemorySettingsStore();
    core = lanCore(settings, null, []);
    const { printer } = await call<{ printer: PrinterView }>(core, 'printers.add', {
      kind: 'bambu',
      name: 'Untrusted P1S',
      host: '127.0.0.1',
      serial: SERIAL,
      secret: genuine.accessCode,
      mqttPort: genuine.mqttPort,
      ftpPort: genuine.ftpPort,
      storePlaintext: true,
    });
    const refused = await printerState(core, printer.id, (s) => s.kind === 'offline' && !!s.certificate, 'certificate to check');
    expect(refused.status.state).toMatchObject({ certificate: { problem: 'unknown', sha256: genuine.certSha256 } });

    await expect(call(core, 'printers.trustCertificate', { printerId: printer.id, sha256: impostor.certSha256 })).rejects.toMatchObject({ code: 'conflict' });
    await call(core, 'printers.trustCertificate', { printerId: printer.id, sha256: genuine.certSha256.toLowerCase() });
    await printerState(core, printer.id, (s) => s.kind === 'idle', 'connected after trusting');

    await core.close();
    core = lanCore(settings, null, []);
    await printerState(core, printer.id, (s) => s.kind === 'idle', 'connected after a restart');
  });
});

describe('the bundled CA list', () => {
  it('keeps CA certificates only: a leaf certificate or a file without one is reported, never trusted', () => {
    const leaf = issuePrinterCert(ca, SERIAL);
    const leafFile = join(leaf.dir, 'printer.pem');
    const junk = join(leaf.dir, 'junk.pem');
    writeFileSync(leafFile, leaf.leaf);
    writeFileSync(junk, 'not a certificate');
    try {
      const read = readTrustAnchors([ca.certFile, leafFile, junk, join(leaf.dir, 'missing.pem')]);
      expect(read.anchors).toHaveLength(1);
      expect(read.problems).toEqual([expect.stringContaining('is not a CA certificate'), 'junk.pem: no PEM certificate in it', 'missing.pem: ENOENT']);
    } finally {
      leaf.remove();
    }
  });
});
