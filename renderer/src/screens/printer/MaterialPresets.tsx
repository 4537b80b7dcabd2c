/** Common starting temperatures; the slicer profile is the authority, these are for preheating and loading. */
export const MATERIAL_PRESETS = [
  { name: 'PLA', hotend: 210, bed: 60 },
  { name: 'PETG', hotend: 240, bed: 80 },
  { name: 'ABS', hotend: 250, bed: 100 },
  { name: 'ASA', hotend: 255, bed: 100 },
  { name: 'TPU', hotend: 225, bed: 50 },
] as const;

export function MaterialPresets({ disabled, onPreset, onCooldown }: { disabled: boolean; onPreset: (hotend: number, bed: number, name: string) => void; onCooldown: () => void }) {
  return (
    <div className="row presets" aria-label="Material presets">
      <span className="muted">Preheat</span>
      {MATERIAL_PRESETS.map((p) => (
        <button
          key={p.name}
          type="button"
          className="btn btn-quiet"
          disabled={disabled}
          onClick={() => onPreset(p.hotend, p.bed, p.name)}
          title={`Hotend ${p.hotend} °C, bed ${p.bed} °C`}
        >
          {p.name}
        </button>
      ))}
      <button type="button" className="btn btn-quiet" disabled={disabled} onClick={onCooldown}>
        Cool down
      </button>
    </div>
  );
}
