import type { LanKind } from '../../../../electron/core/contract/lan-types';

export interface LanFields {
  name: string;
  address: string;
  secret: string;
  serial: string;
  prusaAuth: 'digest' | 'apikey';
  /** The digest user; empty means the printers' default, maker. */
  prusaUser: string;
  mqttPort: string;
  ftpPort: string;
  cameraPort: string;
}

export const emptyFields = (): LanFields => ({ name: '', address: '', secret: '', serial: '', prusaAuth: 'digest', prusaUser: '', mqttPort: '', ftpPort: '', cameraPort: '' });

type Built = Record<string, unknown> | string;

interface Section {
  label: string;
  addressLabel: string;
  addressHint: string;
  secretLabel: string;
  secretRequired: boolean;
  help: string;
  build(f: LanFields): Built;
}

const optionalPort = (text: string, what: string): number | undefined | string => {
  if (!text.trim()) return undefined;
  const n = Number(text);
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : `The ${what} port must be a number between 1 and 65535.`;
};

const common = (f: LanFields, fallbackName: string) => ({ name: f.name.trim() || fallbackName });

/** One section per kind of printer; the USB/serial section can join this record later. */
export const SECTIONS: Record<LanKind, Section> = {
  octoprint: {
    label: 'OctoPrint',
    addressLabel: 'Address',
    addressHint: 'http://octopi.local or 192.168.1.20',
    secretLabel: 'API key',
    secretRequired: false,
    help: 'Create an application key in OctoPrint: Settings → Application Keys.',
    build: (f) =>
      f.address.trim()
        ? { kind: 'octoprint', ...common(f, 'OctoPrint'), url: f.address.trim(), ...(f.secret.trim() ? { secret: f.secret.trim() } : {}) }
        : 'Enter the OctoPrint address.',
  },
  moonraker: {
    label: 'Klipper (Moonraker)',
    addressLabel: 'Address',
    addressHint: 'http://voron.local:7125',
    secretLabel: 'API key (only if Moonraker asks for one)',
    secretRequired: false,
    help: 'Port 7125 is used when none is given. Trusted clients need no key.',
    build: (f) =>
      f.address.trim()
        ? { kind: 'moonraker', ...common(f, 'Klipper'), url: f.address.trim(), ...(f.secret.trim() ? { secret: f.secret.trim() } : {}) }
        : 'Enter the Moonraker address.',
  },
  prusalink: {
    label: 'PrusaLink',
    addressLabel: 'Address',
    addressHint: 'http://192.168.1.30',
    secretLabel: 'Password (or API key)',
    secretRequired: true,
    help: 'The password is on the printer: Settings → Network → PrusaLink (user maker).',
    build: (f) => {
      if (!f.address.trim()) return 'Enter the printer address.';
      if (!f.secret.trim()) return 'Enter the PrusaLink password or API key shown on the printer.';
      const username = f.prusaAuth === 'digest' && f.prusaUser.trim() ? { username: f.prusaUser.trim() } : {};
      return { kind: 'prusalink', ...common(f, 'Prusa'), url: f.address.trim(), secret: f.secret.trim(), auth: f.prusaAuth, ...username };
    },
  },
  bambu: {
    label: 'Bambu Lab (LAN)',
    addressLabel: 'IP address',
    addressHint: '192.168.1.40',
    secretLabel: 'Access code',
    secretRequired: true,
    help: 'On the printer: Settings → Network (LAN only mode) shows the IP address and access code; the serial number is under Settings → Device.',
    build: (f) => {
      if (!f.address.trim()) return 'Enter the printer IP address.';
      if (!f.serial.trim()) return 'Enter the serial number.';
      if (!f.secret.trim()) return 'Enter the access code shown on the printer.';
      const mqttPort = optionalPort(f.mqttPort, 'MQTT');
      const ftpPort = optionalPort(f.ftpPort, 'FTPS');
      if (typeof mqttPort === 'string') return mqttPort;
      if (typeof ftpPort === 'string') return ftpPort;
      const cameraPort = optionalPort(f.cameraPort, 'camera');
      if (typeof cameraPort === 'string') return cameraPort;
      return {
        kind: 'bambu',
        ...common(f, 'Bambu'),
        host: f.address.trim(),
        serial: f.serial.trim(),
        secret: f.secret.trim(),
        ...(mqttPort ? { mqttPort } : {}),
        ...(ftpPort ? { ftpPort } : {}),
        ...(cameraPort ? { cameraPort } : {}),
      };
    },
  },
};

export function AddPrinterSection({ kind, fields, onChange }: { kind: LanKind; fields: LanFields; onChange: (f: LanFields) => void }) {
  const s = SECTIONS[kind];
  const set = (patch: Partial<LanFields>) => onChange({ ...fields, ...patch });
  return (
    <div className="form" data-testid={`section-${kind}`}>
      <label className="field">
        <span>Name</span>
        <input type="text" value={fields.name} maxLength={80} placeholder={s.label} onChange={(e) => set({ name: e.target.value })} data-testid="printer-name" />
      </label>
      <label className="field">
        <span>{s.addressLabel}</span>
        <input type="text" className="mono" value={fields.address} placeholder={s.addressHint} onChange={(e) => set({ address: e.target.value })} data-testid="printer-address" />
      </label>
      {kind === 'bambu' && (
        <label className="field">
          <span>Serial number</span>
          <input type="text" className="mono" value={fields.serial} onChange={(e) => set({ serial: e.target.value })} data-testid="printer-serial" />
        </label>
      )}
      {kind === 'prusalink' && (
        <label className="field">
          <span>Sign-in</span>
          <select value={fields.prusaAuth} onChange={(e) => set({ prusaAuth: e.target.value as LanFields['prusaAuth'] })} data-testid="prusa-auth">
            <option value="digest">Password</option>
            <option value="apikey">API key (older firmware)</option>
          </select>
        </label>
      )}
      {kind === 'prusalink' && fields.prusaAuth === 'digest' && (
        <label className="field">
          <span>User name</span>
          <input
            type="text"
            className="mono"
            value={fields.prusaUser}
            placeholder="maker"
            maxLength={64}
            onChange={(e) => set({ prusaUser: e.target.value })}
            data-testid="prusa-user"
          />
        </label>
      )}
      <label className="field">
        <span>{s.secretLabel}</span>
        <input
          type="password"
          autoComplete="off"
          className="mono"
          style={{ width: '100%' }}
          value={fields.secret}
          onChange={(e) => set({ secret: e.target.value })}
          data-testid="printer-secret"
          required={s.secretRequired}
        />
      </label>
      {kind === 'bambu' && (
        <details>
          <summary>Ports</summary>
          <div className="row">
            <label className="field">
              <span>MQTT (8883)</span>
              <input type="text" value={fields.mqttPort} placeholder="8883" onChange={(e) => set({ mqttPort: e.target.value })} data-testid="bambu-mqtt-port" />
            </label>
            <label className="field">
              <span>FTPS (990)</span>
              <input type="text" value={fields.ftpPort} placeholder="990" onChange={(e) => set({ ftpPort: e.target.value })} data-testid="bambu-ftp-port" />
            </label>
            <label className="field">
              <span>Camera (6000)</span>
              <input type="text" value={fields.cameraPort} placeholder="6000" onChange={(e) => set({ cameraPort: e.target.value })} data-testid="bambu-camera-port" />
            </label>
          </div>
        </details>
      )}
      <p className="muted">{s.help}</p>
    </div>
  );
}
