import { createSocket } from 'node:dgram';
import mqtt, { type MqttClient } from 'mqtt';
import { startBambuCameraPeer, type BambuCameraPeer } from './bambu-camera-peer';
import { issuePrinterCert, makeTestCa, makeTestCert, type TestCa, type TestCert } from './certs';
import { startFtpsPeer, type FtpsPeer } from './ftps-peer';
import { startMosquitto, type Broker } from './mosquitto';
import { SIM_LAYERS, SimPrinter, simLayer } from './sim-printer';

/**
 * A Bambu Lab printer in LAN mode, made of real parts where it matters: Debian's mosquitto with TLS as the
 * broker (user bblp, the access code as password), a stand-in printer publishing `device/<serial>/report`
 * and obeying `device/<serial>/request` (pushall, project_file, gcode_file, pause, resume, stop, gcode_line,
 * ledctrl), an implicit-FTPS server taking the upload, and the P1/A1 camera on TLS (port 6000 on a real printer).
 */
export interface BambuPeer {
  host: string;
  mqttPort: number;
  ftpPort: number;
  /** The camera's TLS port (6000 on a real P1/A1; a free port here). */
  cameraPort: number;
  camera: BambuCameraPeer;
  serial: string;
  accessCode: string;
  /**
   * The CA that signed the printer's certificate (the test's stand-in for Bambu's), to give the app as its
   * trust anchor; null for a printer presenting a self-signed certificate.
   */
  ca: TestCa | null;
  /** The SHA-256 fingerprint of the certificate the broker and the FTPS server present. */
  certSha256: string;
  /** Everything the broker logged, to tell whether a client got as far as logging in. */
  brokerLog(): string;
  printer: SimPrinter;
  ftp: FtpsPeer;
  /** Every request the printer received, parsed. */
  requests: Record<string, Record<string, unknown>>[];
  /** Stops the broker (the printer drops off the network) or restarts it. */
  stopBroker(): Promise<void>;
  startBroker(): Promise<void>;
  /** Suspends the broker process (SIGSTOP): the printer froze, its sockets stay open but nothing answers. */
  freeze(): void;
  thaw(): void;
  /** Answers every control command with result "fail", as firmware with authorization control does. */
  setRefuseControl(on: boolean): void;
  /** Sends one SSDP NOTIFY as the printer does on UDP 2021 (to loopback here). */
  announce(port?: number, name?: string): Promise<void>;
  close(): Promise<void>;
}

/** What the app is given to reach this printer: its CA as the anchor (the stand-in for Bambu's), nothing pinned. */
export function peerTrust(peer: Pick<BambuPeer, 'ca'>): { anchors: string[]; pin: null } {
  return { anchors: peer.ca ? [peer.ca.pem] : [], pin: null };
}

function gcodeState(p: SimPrinter): string {
  if (p.job) return p.job.state === 'paused' ? 'PAUSE' : 'RUNNING';
  if (p.lastOutcome?.outcome === 'complete') return 'FINISH';
  if (p.lastOutcome) return 'FAILED';
  return 'IDLE';
}

function report(p: SimPrinter): Record<string, unknown> {
  const file = p.job?.file ?? p.lastOutcome?.file ?? '';
  return {
    print: {
      command: 'push_status',
      gcode_state: gcodeState(p),
      mc_percent: Math.round((p.job?.progress ?? 0) * 100),
      layer_num: simLayer(p) ?? 0,
      total_layer_num: p.job ? SIM_LAYERS : 0,
      mc_remaining_time: p.job ? Math.round((1 - p.job.progress) * 30) : 0,
      nozzle_temper: p.hotend.actual,
      nozzle_target_temper: p.hotend.target,
      bed_temper: p.bed.actual,
      bed_target_temper: p.bed.target,
      subtask_name: file.replace(/\.gcode\.3mf$|\.3mf$|\.gcode$/i, ''),
      gcode_file: file,
      print_error: p.lastOutcome?.outcome === 'error' ? 50348044 : 0,
      lights_report: [{ node: 'chamber_light', mode: p.light }],
      // One AMS: black PLA with its tag read (80 % left), white PETG without a tag, two empty trays; the external
      // holder empty. Tray 0 feeds the nozzle while printing.
      ams: {
        ams: [
          {
            id: '0',
            humidity: '4',
            tray: [
              { id: '0', tray_type: 'PLA', tray_color: '101010FF', remain: 80, tray_sub_brands: 'PLA Basic' },
              { id: '1', tray_type: 'PETG', tray_color: 'F5F5F5FF', remain: -1, tray_sub_brands: '' },
              { id: '2' },
              { id: '3', tray_type: '', tray_color: '00000000', remain: 0 },
            ],
          },
        ],
        tray_now: p.job ? '0' : '255',
      },
      vt_tray: { id: '254', tray_type: '', tray_color: '00000000', remain: 0 },
    },
  };
}

export interface BambuPeerOptions {
  serial?: string;
  accessCode?: string;
  printer?: SimPrinter;
  /**
   * The certificate presented: issued by a CA for the serial, as Bambu's are (default, from `ca` or a fresh
   * one), or self-signed (an impostor, or a printer whose certificate the user must pin). `certificateName`
   * overrides the common name, e.g. another printer's serial.
   */
  certificate?: 'ca-issued' | 'self-signed';
  ca?: TestCa;
  certificateName?: string;
}

export async function startBambuPeer(opts: BambuPeerOptions = {}): Promise<BambuPeer> {
  const serial = opts.serial ?? '01P00A000000001';
  const accessCode = opts.accessCode ?? '12345678';
  const printer = opts.printer ?? new SimPrinter('Bambu sim');
  const ownCa = opts.certificate === 'self-signed' || opts.ca ? null : makeTestCa();
  const ca = opts.certificate === 'self-signed' ? null : (opts.ca ?? ownCa);
  const cn = opts.certificateName ?? serial;
  const cert: TestCert = ca ? issuePrinterCert(ca, cn) : makeTestCert(cn);
  const requests: BambuPeer['requests'] = [];
  let broker: Broker = await startMosquitto(cert, { bblp: accessCode });
  const ftp = await startFtpsPeer({ cert: cert.cert, key: cert.key, user: 'bblp', password: accessCode, onStored: (name, data) => printer.files.set(name, data) });
  const camera = await startBambuCameraPeer({ cert: cert.cert, key: cert.key, accessCode });
  let device: MqttClient | null = null;
  let refuseControl = false;
  const onChange = () => device?.connected && device.publish(`device/${serial}/report`, JSON.stringify(report(printer)));

  async function connectDevice(): Promise<void> {
    const client = mqtt.connect({
      protocol: 'mqtts',
      host: '127.0.0.1',
      port: broker.port,
      username: 'bblp',
      password: accessCode,
      rejectUnauthorized: false,
      reconnectPeriod: 0,
      clientId: `printer_${serial}`,
    });
    client.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    await client.subscribeAsync(`device/${serial}/request`);
    client.on('message', (_topic, payload) => {
      const msg = JSON.parse(payload.toString()) as Record<string, Record<string, unknown>>;
      requests.push(msg);
      const section = msg.print ? 'print' : msg.system ? 'system' : 'pushing';
      const body = msg[section] ?? {};
      const cmd = body.command;
      const echo = (result: 'success' | 'fail', reason?: string) =>
        client.publish(`device/${serial}/report`, JSON.stringify({ [section]: { command: cmd, sequence_id: body.sequence_id, result, ...(reason ? { reason } : {}) } }));
      if (cmd !== 'pushall' && refuseControl) return echo('fail', 'mqtt message verify failed');
      try {
        if (cmd === 'pushall') onChange();
        else if (cmd === 'project_file') printer.start(String(msg.print!.url).replace(/^ftp:\/\/\/|^file:\/\/\/sdcard\//, ''));
        else if (cmd === 'gcode_file') printer.start(String(msg.print!.param).replace(/^\/sdcard\//, ''));
        else if (cmd === 'pause') printer.pause();
        else if (cmd === 'resume') printer.resume();
        else if (cmd === 'stop') printer.fail('stopped');
        else if (cmd === 'gcode_line') printer.runGcode(String(msg.print!.param));
        else if (cmd === 'ledctrl') {
          printer.light = msg.system!.led_mode === 'on' ? 'on' : 'off';
          onChange();
        }
        if (cmd !== 'pushall') echo('success');
      } catch {
        // A real printer refuses a command it cannot run; the next report shows its unchanged state.
        echo('fail', 'cannot do that now');
      }
    });
    device = client;
    // A printer that comes (back) online reports its state unasked, as after booting or a network drop.
    onChange();
  }

  printer.on('change', onChange);
  await connectDevice();
  return {
    host: '127.0.0.1',
    get mqttPort() {
      return broker.port;
    },
    ftpPort: ftp.port,
    cameraPort: camera.port,
    camera,
    serial,
    accessCode,
    ca,
    certSha256: cert.sha256,
    brokerLog: () => broker.log(),
    printer,
    ftp,
    requests,
    stopBroker: async () => {
      device?.end(true);
      device = null;
      await broker.stop();
    },
    startBroker: async () => {
      broker = await startMosquitto(cert, { bblp: accessCode }, broker.port);
      await connectDevice();
    },
    freeze: () => {
      broker.process.kill('SIGSTOP');
    },
    thaw: () => {
      broker.process.kill('SIGCONT');
    },
    setRefuseControl: (on) => {
      refuseControl = on;
    },
    announce: (port = 2021, name = 'P1S-Stand-in') =>
      new Promise<void>((resolve) => {
        const text = [
          'NOTIFY * HTTP/1.1',
          'HOST: 239.255.255.250:1900',
          'Server: UPnP/1.0',
          'Location: 127.0.0.1',
          'NT: urn:bambulab-com:device:3dprinter:1',
          'NTS: ssdp:alive',
          `USN: ${serial}`,
          'Cache-Control: max-age=1800',
          'DevModel.bambu.com: C12',
          `DevName.bambu.com: ${name}`,
          'DevConnect.bambu.com: lan',
          '',
          '',
        ].join('\r\n');
        const sock = createSocket('udp4');
        sock.send(text, port, '127.0.0.1', () => {
          sock.close();
          resolve();
        });
      }),
    close: async () => {
      broker.process.kill('SIGCONT');
      printer.off('change', onChange);
      printer.stopAuto();
      device?.end(true);
      await broker.stop();
      await ftp.close();
      await camera.close();
      cert.remove();
      ownCa?.remove();
    },
  };
}
