/** spec/cloud-hub.md, "Jobs in the cloud" — Files: upload, signed download link, POST /jobs with file_id. */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadFile } from './hub-fixtures';
import type { Sandbox } from './server';
import { call, FakeClock, sandboxFor } from './test-support';

const clock = new FakeClock();
let sb: Sandbox & { admin: string };
beforeAll(async () => {
  sb = await sandboxFor({ now: clock.now, maxFileBytes: 64 * 1024 });
});
afterAll(() => sb.close());

const GCODE = 'G28\nG1 X10 Y10 F3000\nM104 S0\n';
const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

describe('POST /files (raw body, X-File-Name; jobs:write)', () => {
  it('(real) stores the bytes and answers { id, name, size_bytes, sha256 }', async () => {
    const res = await fetch(`${sb.url}/files`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${sb.admin}`, 'X-File-Name': 'benchy.gcode' },
      body: GCODE,
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({
      id: expect.stringMatching(/^file_[0-9a-f]{24}$/),
      name: 'benchy.gcode',
      size_bytes: Buffer.byteLength(GCODE),
      sha256: sha(GCODE),
      created_at: new Date(clock.t).toISOString(),
    });
  });

  it('takes a UTF-8 name percent-encoded in X-File-Name', async () => {
    const file = await uploadFile(sb, sb.admin, 'Zahnrad Ø20 – v2.gcode', GCODE);
    expect((await call(sb, sb.admin, 'GET', `/files/${file.id}`)).json.name).toBe('Zahnrad Ø20 – v2.gcode');
  });

  it('refuses a missing or path-like X-File-Name and an empty body, naming each', async () => {
    const post = (headers: Record<string, string>, body: string) =>
      fetch(`${sb.url}/files`, { method: 'POST', headers: { Authorization: `Bearer ${sb.admin}`, ...headers }, body }).then(async (r) => ({
        status: r.status,
        json: await r.json(),
      }));
    expect((await post({}, GCODE)).json.error.details).toEqual({ 'X-File-Name': 'send the file name in the X-File-Name header' });
    expect(Object.keys((await post({ 'X-File-Name': '..%2Fetc%2Fpasswd' }, GCODE)).json.error.details)).toEqual(['X-File-Name']);
    const empty = await post({ 'X-File-Name': 'a.gcode' }, '');
    expect(empty.status).toBe(400);
    expect(Object.keys(empty.json.error.details)).toEqual(['body']);
  });

  it('refuses a file over the limit with 413', async () => {
    const res = await fetch(`${sb.url}/files`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${sb.admin}`, 'X-File-Name': 'big.gcode' },
      body: Buffer.alloc(64 * 1024 + 1, 0x47),
    });
    expect(res.status).toBe(413);
  });

  it('needs jobs:write', async () => {
    const reader = sb.createKey({ name: 'r', scopes: ['jobs:read'] }).key;
    const res = await fetch(`${sb.url}/files`, { method: 'POST', headers: { Authorization: `Bearer ${reader}`, 'X-File-Name': 'a.gcode' }, body: 'G28' });
    expect(res.status).toBe(403);
  });
});

describe('GET /files/:id/download-url', () => {
  it('(real) answers { url, expires_at } one hour ahead; the link downloads the exact bytes without any key', async () => {
    const bytes = Buffer.from([0x47, 0x32, 0x38, 0x00, 0xff, 0x0a]);
    const file = await uploadFile(sb, sb.admin, 'binary.bgcode', bytes);
    const link = await call(sb, sb.admin, 'GET', `/files/${file.id}/download-url`);
    expect(link.status).toBe(200);
    expect(link.json.expires_at).toBe(new Date(clock.t + 3600_000).toISOString());
    expect(link.json.url.startsWith(`${sb.url}/files/download/`)).toBe(true);

    const res = await fetch(link.json.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('x-file-sha256')).toBe(sha(bytes));
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);
  });

  it('(real) the link stops working after one hour: 401 link_expired', async () => {
    const file = await uploadFile(sb, sb.admin, 'soon.gcode', GCODE);
    const { url } = (await call(sb, sb.admin, 'GET', `/files/${file.id}/download-url`)).json;
    clock.advance(3600_000 - 1);
    expect((await fetch(url)).status).toBe(200);
    clock.advance(1);
    const late = await fetch(url);
    expect(late.status).toBe(401);
    expect((await late.json()).error.code).toBe('link_expired');
  });

  it('refuses a link whose signature, file or expiry was altered: 401 invalid_link', async () => {
    const a = await uploadFile(sb, sb.admin, 'a.gcode', 'G28 A');
    const b = await uploadFile(sb, sb.admin, 'b.gcode', 'G28 B');
    const { url } = (await call(sb, sb.admin, 'GET', `/files/${a.id}/download-url`)).json;
    const [fileId, expiry, sig] = url.split('/').pop().split('.');
    const forged = [`${b.id}.${expiry}.${sig}`, `${fileId}.${Number(expiry) + 3600_000}.${sig}`, `${fileId}.${expiry}.${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`, 'nonsense'];
    for (const token of forged) {
      const res = await fetch(`${sb.url}/files/download/${token}`);
      expect(res.status, token).toBe(401);
      expect((await res.json()).error.code, token).toBe('invalid_link');
    }
  });

  it('answers 404 for an unknown file id', async () => {
    expect((await call(sb, sb.admin, 'GET', '/files/file_000000000000000000000000/download-url')).status).toBe(404);
  });
});

describe('POST /jobs with file_id', () => {
  it('(real) takes file_id; the job is named after the file unless a name is given', async () => {
    const file = await uploadFile(sb, sb.admin, 'gear.gcode', GCODE);
    const job = await call(sb, sb.admin, 'POST', '/jobs', { file_id: file.id });
    expect(job.status).toBe(201);
    expect(job.json).toMatchObject({ name: 'gear.gcode', file_id: file.id, file_url: null, status: 'queued' });
    const named = await call(sb, sb.admin, 'POST', '/jobs', { file_id: file.id, name: 'Gear x4' });
    expect(named.json.name).toBe('Gear x4');
  });

  it('refuses an unknown file_id, both file_id and file_url, and neither', async () => {
    const ghost = await call(sb, sb.admin, 'POST', '/jobs', { file_id: 'file_ghost' });
    expect(ghost.json.error.details).toEqual({ file_id: 'no file with this id' });
    const file = await uploadFile(sb, sb.admin, 'x.gcode', GCODE);
    const both = await call(sb, sb.admin, 'POST', '/jobs', { file_id: file.id, file_url: 'https://x.example/a.gcode' });
    expect(Object.keys(both.json.error.details)).toEqual(['file_id']);
    const neither = await call(sb, sb.admin, 'POST', '/jobs', { name: 'x' });
    expect(Object.keys(neither.json.error.details)).toEqual(['file_url']);
  });
});
