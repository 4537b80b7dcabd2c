import { describe, expect, it } from 'vitest';
import type { MaterialMatching } from '../../../electron/core/contract/materials-types';
import { JobClaims, type ClaimCandidate, type JobOffer } from '../../../electron/core/hub/job-claims';
import { UNKNOWN_FILAMENT, type LoadedFilament } from '../../../electron/core/materials/matching';

const printer = (cloudPrinterId: string, extra: Partial<ClaimCandidate> = {}): ClaimCandidate => ({
  cloudPrinterId,
  name: `Printer ${cloudPrinterId}`,
  model: 'MK4',
  filament: UNKNOWN_FILAMENT,
  profileMaterial: null,
  nozzleDiameter: null,
  ...extra,
});
const spool = (material: string, colourHex: string, remainingG: number, colourName = ''): LoadedFilament => ({
  kind: 'spool',
  spoolId: `s-${material}-${colourHex}`,
  material,
  colourHex: colourHex as `#${string}`,
  colourName,
  remainingG,
  diameterMm: 1.75,
  densityGCm3: 1.24,
});

function claims(ready: ClaimCandidate[] = [printer('cp-1')], matching: MaterialMatching = 'when-known') {
  const sent: Record<string, unknown>[] = [];
  let t = 1_000;
  const c = new JobClaims({ readyPrinters: () => ready, matching: () => matching, send: (m) => (sent.push(m), true), now: () => t });
  return { c, sent, advance: (ms: number) => (t += ms) };
}
const offer = (jobId: string, requirements: JobOffer['requirements'] = {}, expiresAt = 11_000): JobOffer => ({
  type: 'job_offer',
  job_id: jobId,
  file_name: 'a.gcode',
  requirements,
  expires_at: new Date(expiresAt).toISOString(),
});

describe('pull-mode claims', () => {
  it('claims an offer for a ready printer and never promises that printer to a second offer meanwhile', () => {
    const { c, sent } = claims();
    c.onOffer(offer('j1'));
    c.onOffer(offer('j2'));
    expect(sent).toEqual([{ type: 'job_claim', job_id: 'j1', printer_id: 'cp-1' }]);
  });

  it('frees the printer when the job went to another hub, or when the offer expired unanswered', () => {
    const { c, sent, advance } = claims();
    c.onOffer(offer('j1'));
    c.onTaken('j1');
    c.onOffer(offer('j2'));
    advance(20_000);
    c.onOffer(offer('j3', {}, 40_000));
    expect(sent.map((m) => m.job_id)).toEqual(['j1', 'j2', 'j3']);
  });

  it('matches printer_model without regard to case, and a nozzle by the farm profile of the printer', () => {
    const { c, sent } = claims([printer('cp-1', { nozzleDiameter: 0.6 }), printer('cp-2', { nozzleDiameter: 0.4 })]);
    c.onOffer(offer('other', { printer_model: 'X1C' }));
    c.onOffer(offer('nozzle', { nozzle: 0.4 }));
    c.onOffer(offer('mk4', { printer_model: 'mk4' }));
    expect(sent).toEqual([
      { type: 'job_claim', job_id: 'nozzle', printer_id: 'cp-2' },
      { type: 'job_claim', job_id: 'mk4', printer_id: 'cp-1' },
    ]);
    expect(c.passed().map((p) => p.jobId)).toEqual(['other']);
  });
});

describe('pull-mode claims check the filament loaded, as the queue does', () => {
  it('claims for the printer whose spool has the material, colour and grams the offer needs', () => {
    const { c, sent } = claims([printer('pla', { filament: spool('PLA', '#000000', 900) }), printer('petg', { filament: spool('PETG', '#050505', 500, 'Galaxy black') })]);
    c.onOffer(offer('j1', { material: 'PETG', color: '#000000', filament_grams: 35 }));
    expect(sent).toEqual([{ type: 'job_claim', job_id: 'j1', printer_id: 'petg' }]);
    expect(c.passed()).toEqual([]);
  });

  it('leaves an offer whose printers lack the material, colour or grams for another hub, and says why in the status', () => {
    const { c, sent } = claims([printer('pla', { filament: spool('PLA', '#000000', 900) }), printer('short', { filament: spool('PETG', '#000000', 20) })]);
    c.onOffer(offer('j1', { material: 'PETG', color: 'black', filament_grams: 35 }));
    expect(sent).toEqual([]);
    expect(c.passed()).toEqual([
      {
        jobId: 'j1',
        fileName: 'a.gcode',
        reason: 'No idle printer here has PETG black with ≥ 35 g: Printer pla has PLA loaded; Printer short has 20 g left. Left for another hub.',
        at: 1_000,
      },
    ]);
  });

  it('a spool of the right material in another colour does not fit; one loaded later is claimed on the next offer and the reason goes', () => {
    const ready = [printer('p', { filament: spool('PETG', '#FF0000', 900, 'Red') })];
    const { c, sent } = claims(ready);
    c.onOffer(offer('j1', { material: 'PETG', color: '#000000' }));
    expect(c.passed()[0]?.reason).toMatch(/Printer p has Red loaded/);
    ready[0] = printer('p', { filament: spool('PETG', '#000000', 900) });
    c.onOffer(offer('j1', { material: 'PETG', color: '#000000' }));
    expect(sent.map((m) => m.printer_id)).toEqual(['p']);
    expect(c.passed()).toEqual([]);
  });

  it('honours materialMatching: with nothing loaded, when-known takes the job unless the profile names another material; require-spool wants a spool; off ignores spools', () => {
    const unknown = [printer('u')];
    const whenKnown = claims(unknown, 'when-known');
    whenKnown.c.onOffer(offer('j', { material: 'PETG' }));
    expect(whenKnown.sent).toHaveLength(1);

    const profiled = claims([printer('u', { profileMaterial: 'PLA' })], 'when-known');
    profiled.c.onOffer(offer('j', { material: 'PETG' }));
    expect(profiled.sent).toEqual([]);
    expect(profiled.c.passed()[0]?.reason).toMatch(/Printer u is set up for PLA/);

    const required = claims(unknown, 'require-spool');
    required.c.onOffer(offer('j', { material: 'PETG' }));
    expect(required.sent).toEqual([]);
    expect(required.c.passed()[0]?.reason).toMatch(/Printer u has no spool loaded/);

    const off = claims([printer('p', { filament: spool('PLA', '#000000', 1) })], 'off');
    off.c.onOffer(offer('j', { material: 'PETG', filament_grams: 500 }));
    expect(off.sent).toHaveLength(1);
  });

  it('prefers a printer known to hold the filament over one whose filament is unknown', () => {
    const { c, sent } = claims([printer('unknown'), printer('loaded', { filament: spool('PLA', '#FFFFFF', 800) })]);
    c.onOffer(offer('j', { material: 'PLA' }));
    expect(sent.map((m) => m.printer_id)).toEqual(['loaded']);
  });
});
