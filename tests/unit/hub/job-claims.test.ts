import { describe, expect, it } from 'vitest';
import { JobClaims, type JobOffer } from '../../../electron/core/hub/job-claims';

function claims(ready = [{ cloudPrinterId: 'cp-1', model: 'MK4' }]) {
  const sent: Record<string, unknown>[] = [];
  let t = 1_000;
  const c = new JobClaims({ readyPrinters: () => ready, send: (m) => (sent.push(m), true), now: () => t });
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

  it('matches printer_model without regard to case and leaves jobs needing a nozzle or material it cannot check', () => {
    const { c, sent } = claims();
    c.onOffer(offer('other', { printer_model: 'X1C' }));
    c.onOffer(offer('nozzle', { nozzle: 0.4 }));
    c.onOffer(offer('material', { material: 'PETG' }));
    c.onOffer(offer('mk4', { printer_model: 'mk4' }));
    expect(sent.map((m) => m.job_id)).toEqual(['mk4']);
  });
});
