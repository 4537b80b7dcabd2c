import { useCan } from '../../store/use-can';
import { useRef, useState, type DragEvent } from 'react';
import type { LibraryFileView } from '../../../../electron/core/contract/jobs-types';
import { EmptyState } from '../../components/EmptyState';
import { formatDuration } from '../../components/format';
import { useApp } from '../../store/context';
import { useLibrary } from '../jobs/use-farm';
import { QueueDialog } from './QueueDialog';
import { uploadFile } from './upload';

function formatSize(n: number): string {
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${n} B`;
}

/** `actions` null: the session may look at the library but not queue or remove (a viewer). */
function FileCard({ file, actions }: { file: LibraryFileView; actions: { onPrint: () => void; onRemove: () => void } | null }) {
  const time = file.estimatedSeconds ?? file.ourEstimatedSeconds;
  return (
    <article className="card" style={{ cursor: 'default' }} data-testid="library-file" aria-label={file.name}>
      <div className="row" style={{ alignItems: 'flex-start', flexWrap: 'nowrap' }}>
        <div style={{ width: 96, height: 96, flex: '0 0 96px', borderRadius: 8, background: 'var(--surface-2)', display: 'grid', placeItems: 'center', overflow: 'hidden' }}>
          {file.thumbnail ? <img src={file.thumbnail} alt="" style={{ width: '100%', height: '100%', objectFit: 'contain' }} /> : <span className="muted">No preview</span>}
        </div>
        <div style={{ minWidth: 0, display: 'grid', gap: 4 }}>
          <div className="card-title" style={{ overflowWrap: 'anywhere' }}>
            {file.name}
          </div>
          <div className="card-sub muted">
            {file.slicer ?? 'Unknown slicer'} · {formatSize(file.sizeBytes)}
          </div>
          {file.format === 'gcode.3mf' ? (
            <div className="card-sub muted" data-testid="library-file-format">
              Bambu project · {file.plates !== null && file.plates > 1 ? `${file.plates} sliced plates, the first is printed` : 'one sliced plate'} · Bambu printers only
            </div>
          ) : null}
          {file.format === 'bgcode' ? (
            <div className="card-sub muted" data-testid="library-file-format">
              Prusa binary G-code · sent as it is to PrusaLink, as text to USB, OctoPrint and Klipper printers · not for Bambu printers
            </div>
          ) : null}
          {file.status === 'analyzing' ? (
            <div className="muted" role="status">
              Analysing… {Math.round(file.progress * 100)} %
            </div>
          ) : null}
        </div>
      </div>
      <dl className="facts" style={{ fontSize: 13 }}>
        <dt>Time</dt>
        <dd>{time !== null ? `${formatDuration(time)}${file.estimatedSeconds === null ? ' (our estimate)' : ''}` : '—'}</dd>
        <dt>Filament</dt>
        <dd>
          {[file.filamentG !== null ? `${file.filamentG.toFixed(1)} g` : null, file.filamentMm !== null ? `${(file.filamentMm / 1000).toFixed(2)} m` : null]
            .filter(Boolean)
            .join(' · ') || '—'}
        </dd>
        <dt>For</dt>
        <dd>{[file.printerModel, file.nozzleDiameter !== null ? `${file.nozzleDiameter} mm nozzle` : null, file.material].filter(Boolean).join(' · ') || '—'}</dd>
        <dt>Layers</dt>
        <dd>{file.layers !== null ? `${file.layers}${file.layerHeight !== null ? ` × ${file.layerHeight} mm` : ''}` : '—'}</dd>
      </dl>
      {file.warnings.length ? (
        <p className="notice" style={{ fontSize: 12 }}>
          {file.warnings[0]}
        </p>
      ) : null}
      {actions && (
        <div className="row">
          <button type="button" className="btn" onClick={actions.onPrint} disabled={file.status !== 'ready'}>
            Print…
          </button>
          <button type="button" className="btn btn-quiet" onClick={actions.onRemove}>
            Remove
          </button>
        </div>
      )}
    </article>
  );
}

export function LibraryScreen() {
  const { api, actions } = useApp();
  const files = useLibrary();
  const input = useRef<HTMLInputElement>(null);
  const [uploading, setUploading] = useState<{ name: string; fraction: number } | null>(null);
  const [dragOver, setDragOver] = useState(false);
  const [printing, setPrinting] = useState<LibraryFileView | null>(null);
  const canWrite = useCan('jobs:write');

  const add = async (list: FileList | null) => {
    for (const file of Array.from(list ?? [])) {
      setUploading({ name: file.name, fraction: 0 });
      const result = await actions.attempt(() => uploadFile(api, file, (fraction) => setUploading({ name: file.name, fraction })));
      if (result?.duplicate) actions.toast('info', `${file.name} is already in the library as ${result.file.name}.`);
    }
    setUploading(null);
    if (input.current) input.current.value = '';
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragOver(false);
    void add(e.dataTransfer.files);
  };

  return (
    <section
      className="screen"
      aria-labelledby="library-title"
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('Files')) {
          e.preventDefault();
          setDragOver(true);
        }
      }}
      onDragLeave={() => setDragOver(false)}
      onDrop={canWrite ? onDrop : undefined}
    >
      <header className="screen-head">
        <h1 id="library-title">Library</h1>
        {canWrite && (
          <div className="head-actions">
            <label className="btn" htmlFor="library-file-input">
              Add G-code or .gcode.3mf…
            </label>
            <input
              id="library-file-input"
              ref={input}
              type="file"
              accept=".gcode,.gco,.g,.3mf,.bgcode,text/x-gcode"
              multiple
              className="sr-only"
              data-testid="library-file-input"
              onChange={(e) => void add(e.target.files)}
            />
          </div>
        )}
      </header>
      <div className="panel" style={{ borderStyle: 'dashed', borderColor: dragOver ? 'var(--accent)' : undefined, textAlign: 'center' }}>
        {uploading ? (
          <span role="status">
            Uploading {uploading.name}… {Math.round(uploading.fraction * 100)} %
          </span>
        ) : (
          <span className="muted">Drop G-code or Bambu .gcode.3mf files anywhere on this screen, or use “Add G-code or .gcode.3mf…”. Identical files are stored once.</span>
        )}
      </div>
      {printing && <QueueDialog file={printing} onClose={() => setPrinting(null)} />}
      {files.length === 0 ? (
        <EmptyState title="No files yet">
          Add the G-code your slicer exported, or a sliced plate from Bambu Studio or OrcaSlicer (.gcode.3mf). Its time, filament and preview are read from the file.
        </EmptyState>
      ) : (
        <div className="grid" style={{ gridTemplateColumns: 'repeat(auto-fill, minmax(320px, 1fr))' }} data-testid="library-grid">
          {files.map((f) => (
            <FileCard
              key={f.sha256}
              file={f}
              actions={canWrite ? { onPrint: () => setPrinting(f), onRemove: () => void actions.attempt(() => api.call('library.remove', { sha256: f.sha256 })) } : null}
            />
          ))}
        </div>
      )}
    </section>
  );
}
