import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../electron/core/errors';
import { BambuDriver } from '../../../electron/core/printers/bambu/driver';
import { readPresentedCertificate } from '../../../electron/core/printers/bambu/printer-certificate';
import { peerTrust, startBambuPeer, type BambuPeer } from '../../peers/bambu-peer';
import { ManualClock } from '../../support/manual-clock';
import { buildZip } from '../../support/zip-writer';
import { fastBackoff, GCODE, memorySource, nextJobEnd, pauseResumeCancel, silenceUntilOffline, stateKind, waitForStatus } from './support';

/** A stored (uncompressed) zip with the given entries, as the text the in-memory print source carries. */
function zip(entries: Record<string, string>): string {
  return buildZip(Object.entries(entries).map(([name, data]) => ({ name, data, method: 'store' as const }))).toString('latin1');
}

let peer: BambuPeer;
beforeAll(async () => {
  peer = await startBambuPeer();
});
afterAll(async () => peer?.close());

function driverFor(code = peer.accessCode) {
  return new BambuDriver({
    host: peer.host,
    serial: peer.serial,
    mqttPort: peer.mqttPort,
    ftpPort: peer.ftpPort,
    trust: peerTrust(peer),
    backoff: fastBackoff,
    keepaliveS: 1,
    secret: async () => code,
  });
}

describe('Bambu LAN driver (mosquitto over TLS + implicit FTPS)', () => {
  it('logs in as bblp with the access code, asks for pushall and shows live temperatures', async () => {
    const driver = driverFor();
    try {
      await driver.connect();
      await waitForStatus(driver, (s) => s.temperatures.hotend !== null, 'first report');
      expect(peer.requests.some((r) => r.pushing?.command === 'pushall')).toBe(true);
      // The AMS as the printer reports it: black PLA (80 % by its tag), white PETG without a tag.
      const trays = (await waitForStatus(driver, (s) => !!s.trays, 'AMS trays')).trays!;
      expect(trays.map((t) => [t.slot, t.material, t.colorHex, t.remainingPct])).toEqual([
        ['AMS 1 · tray 1', 'PLA', '#101010', 80],
        ['AMS 1 · tray 2', 'PETG', '#F5F5F5', null],
        ['AMS 1 · tray 3', null, null, null],
        ['AMS 1 · tray 4', null, null, null],
        ['External spool', null, null, null],
      ]);
      peer.printer.setTemperatures(219, 64);
      const s = await waitForStatus(driver, (s) => s.temperatures.hotend?.actual === 219, 'nozzle 219');
      expect(s.temperatures.bed?.actual).toBe(64);
    } finally {
      await driver.dispose();
    }
  });

  it('uploads a .gcode.3mf over FTPS, starts its sliced plate with project_file, then pauses, resumes and stops it', async () => {
    const driver = driverFor();
    const threeMf = zip({ '3D/3dmodel.model': '<model/>', 'Metadata/plate_2.gcode': GCODE, 'Metadata/plate_2.png': 'png' });
    try {
      await driver.connect();
      await driver.startPrint({
        ...memorySource('plate.gcode.3mf', ''),
        size: threeMf.length,
        async *open() {
          yield Buffer.from(threeMf, 'latin1');
        },
      });
      expect(peer.ftp.files.get('plate.gcode.3mf')?.toString('latin1')).toBe(threeMf);
      await waitForStatus(driver, stateKind('printing'), 'printing');
      const start = peer.requests.find((r) => r.print?.command === 'project_file');
      expect(start?.print).toMatchObject({ url: 'ftp:///plate.gcode.3mf', param: 'Metadata/plate_2.gcode' });
      peer.printer.advance(0.5);
      const half = await waitForStatus(driver, (s) => s.state.kind === 'printing' && s.state.job.fraction === 0.5, 'progress 50 %');
      // layer_num / total_layer_num from the report.
      expect(half.state.kind === 'printing' && half.state.job.layer).toEqual({ current: 25, total: 50 });
      const ended = pauseResumeCancel(driver);
      expect((await ended).outcome).toEqual({ kind: 'cancelled' });
    } finally {
      await driver.dispose();
    }
  });

  it('reports a finished print as completed and drives the light and temperatures through requests', async () => {
    const driver = driverFor();
    try {
      await driver.connect();
      await driver.startPrint(memorySource('cube.gcode', GCODE));
      await waitForStatus(driver, stateKind('printing'), 'printing');
      expect(peer.requests.find((r) => r.print?.command === 'gcode_file')?.print).toMatchObject({ param: '/sdcard/cube.gcode' });
      const ended = nextJobEnd(driver);
      peer.printer.finish();
      expect(await ended).toMatchObject({ outcome: { kind: 'completed' } });
      await driver.setLight(true);
      await driver.setTemperature('bed', 55);
      // Requests are handled in order, so once the bed target shows, the light request was handled too.
      await waitForStatus(driver, (s) => s.temperatures.bed?.target === 55, 'bed target 55');
      expect(peer.printer.light).toBe('on');
    } finally {
      await driver.dispose();
    }
  });

  it('refuses a .3mf project that holds no sliced plate, after saying why', async () => {
    const driver = driverFor();
    try {
      await driver.connect();
      const unsliced = zip({ '3D/3dmodel.model': '<model/>' });
      const err = await driver
        .startPrint({
          ...memorySource('raw.3mf', ''),
          size: unsliced.length,
          async *open() {
            yield Buffer.from(unsliced, 'latin1');
          },
        })
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('no sliced plate') });
      expect(driver.status().state.kind).toBe('idle');
    } finally {
      await driver.dispose();
    }
  });

  it('turns into a monitor when the firmware refuses control, and says how to allow it', async () => {
    const driver = driverFor();
    peer.setRefuseControl(true);
    try {
      await driver.connect();
      const err = await driver.startPrint(memorySource('x.gcode', GCODE)).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'unsupported', message: expect.stringContaining('Developer mode') });
      expect(driver.capabilities).toMatchObject({ print: false, setTemperature: false });
      await expect(driver.setTemperature('bed', 50)).rejects.toMatchObject({ code: 'unsupported' });
      peer.printer.setTemperatures(30, 31);
      await waitForStatus(driver, (s) => s.temperatures.bed?.actual === 31, 'monitoring still works');
    } finally {
      peer.setRefuseControl(false);
      await driver.dispose();
    }
  });

  it('explains a wrong access code without repeating it, and offers to enter it again (real mosquitto: MQTT 3.1.1 §3.2.2.3 CONNACK return code 5, not authorized)', async () => {
    const driver = driverFor('wrong-code-777');
    try {
      const err = await driver.connect().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).message).toMatch(/refused the access code/);
      expect((err as AppError).message).not.toContain('wrong-code-777');
      expect(driver.status().state).toMatchObject({ kind: 'offline', credential: { problem: 'refused', what: 'access code' } });
    } finally {
      await driver.dispose();
    }
  });

  it('shows a printer that is already printing as printing from the first status after connect, never idle', async () => {
    const driver = driverFor();
    peer.printer.files.set('already.gcode', Buffer.from(GCODE));
    peer.printer.start('already.gcode');
    const seen: string[] = [];
    driver.onStatus((s) => seen.push(s.state.kind));
    try {
      await driver.connect();
      expect(driver.status().state).toMatchObject({ kind: 'printing', job: { fileName: 'already' } });
      expect(driver.status().temperatures.hotend).not.toBeNull();
      expect(seen).not.toContain('idle');
      expect(seen.at(-1)).toBe('printing');
    } finally {
      peer.printer.cancel();
      await driver.dispose();
    }
  });

  it("refuses a certificate Bambu's CA signed for another serial number, names both serials and sends no access code", async () => {
    const driver = new BambuDriver({
      host: peer.host,
      serial: 'WRONGSERIAL0001',
      mqttPort: peer.mqttPort,
      ftpPort: peer.ftpPort,
      trust: peerTrust(peer),
      backoff: fastBackoff,
      secret: async () => peer.accessCode,
    });
    try {
      const err = await driver.connect().catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'printer_offline', certificate: { problem: 'wrong-printer', subject: peer.serial, sha256: peer.certSha256 } });
      expect((err as Error).message).toContain(`for printer ${peer.serial}, not WRONGSERIAL0001`);
      expect(driver.status().state).toMatchObject({ kind: 'offline', certificate: { problem: 'wrong-printer' } });
    } finally {
      await driver.dispose();
    }
  });

  it('says a printer that never reports (a wrong serial number on a pinned printer) accepted the connection but sent no status', async () => {
    const presented = await readPresentedCertificate({ host: peer.host, port: peer.mqttPort, anchors: [] });
    const driver = new BambuDriver({
      host: peer.host,
      serial: 'WRONGSERIAL0001',
      mqttPort: peer.mqttPort,
      ftpPort: peer.ftpPort,
      // The pin is the certificate itself, whatever name it carries: only the silence tells the serial is wrong.
      trust: { anchors: [], pin: { sha256: presented.sha256, pem: presented.pem, pinnedAt: new Date().toISOString() } },
      backoff: fastBackoff,
      firstReportTimeoutMs: 300,
      secret: async () => peer.accessCode,
    });
    try {
      const err = await driver.connect().catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'printer_offline', message: expect.stringContaining('sent no status') });
      expect((err as Error).message).toContain('serial number');
      expect(driver.status().state.kind).toBe('offline');
    } finally {
      await driver.dispose();
    }
  });

  it('shows a frozen printer offline within 7.5 s (1.5 keepalives) and says it stopped answering, not that it closed', async () => {
    const clock = new ManualClock();
    const driver = new BambuDriver({
      host: peer.host,
      serial: peer.serial,
      mqttPort: peer.mqttPort,
      ftpPort: peer.ftpPort,
      trust: peerTrust(peer),
      backoff: fastBackoff,
      clock,
      secret: async () => peer.accessCode,
    });
    try {
      await driver.connect();
      peer.freeze();
      expect(await silenceUntilOffline(driver, clock)).toBeLessThanOrEqual(7500);
      expect(driver.status().state).toMatchObject({ kind: 'offline', reason: expect.stringContaining('stopped answering') });
    } finally {
      peer.thaw();
      await driver.dispose();
    }
  });

  it('marks a print interrupted when the printer drops off the network, then reconnects', async () => {
    const driver = driverFor();
    try {
      await driver.connect();
      await driver.startPrint(memorySource('drop.gcode', GCODE));
      await waitForStatus(driver, stateKind('printing'), 'printing');
      const ended = nextJobEnd(driver);
      await peer.stopBroker();
      expect((await ended).outcome).toMatchObject({ kind: 'interrupted' });
      await waitForStatus(driver, stateKind('offline'), 'offline');
      await peer.startBroker();
      await waitForStatus(driver, stateKind('printing'), 'printing after reconnect', 8000);
      peer.printer.cancel();
    } finally {
      await driver.dispose();
    }
  });
});
