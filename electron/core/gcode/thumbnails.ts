/**
 * Embedded previews. PrusaSlicer, SuperSlicer, OrcaSlicer, Bambu Studio and Cura's "Create Thumbnail" script write
 *   ; thumbnail begin 300x300 12345        (also thumbnail_PNG / thumbnail_JPG / thumbnail_QOI)
 *   ; iVBORw0KGgo…                          (base64, 78 characters a line)
 *   ; thumbnail end
 * Kiri:Moto writes "; thumbnail begin 300 300 12345". The length is the base64 length.
 */
import { readImageHeader } from './image-header';
import type { GcodeThumbnail, ThumbnailFormat } from './types';

const BEGIN = /^[ \t]*;[ \t]*thumbnail(?:_(PNG|JPG|JPEG|QOI))?[ \t]+begin[ \t]+(\d+)[ \t]*[x ][ \t]*(\d+)[ \t]+(\d+)/i;

export interface ThumbnailScan {
  thumbnails: GcodeThumbnail[];
  warnings: string[];
  /** True when a block begins but the text ends before its "end" line. */
  unterminated: boolean;
}

function blockFormat(tag: string | undefined): ThumbnailFormat {
  const t = (tag ?? 'PNG').toUpperCase();
  return t === 'JPG' || t === 'JPEG' ? 'jpg' : t === 'QOI' ? 'qoi' : 'png';
}

export function extractThumbnails(text: string, where: string): ThumbnailScan {
  const thumbnails: GcodeThumbnail[] = [];
  const warnings: string[] = [];
  let unterminated = false;
  let from = 0;
  for (;;) {
    const hit = text.indexOf('thumbnail', from);
    if (hit === -1) break;
    const lineStart = text.lastIndexOf('\n', hit) + 1;
    let lineEnd = text.indexOf('\n', hit);
    if (lineEnd === -1) lineEnd = text.length;
    const m = BEGIN.exec(text.slice(lineStart, lineEnd));
    if (!m) {
      from = lineEnd;
      continue;
    }
    const tag = m[1];
    const width = Number(m[2]);
    const height = Number(m[3]);
    const declared = Number(m[4]);
    const endRe = new RegExp(`^[ \\t]*;[ \\t]*thumbnail${tag ? `_${tag}` : ''}[ \\t]+end`, 'im');
    const rest = text.slice(lineEnd + 1);
    const endMatch = endRe.exec(rest);
    if (!endMatch) {
      warnings.push(`A ${width}x${height} thumbnail in the ${where} of the file never ends; the file looks cut short. Export or copy it again.`);
      unterminated = true;
      break;
    }
    const body = rest.slice(0, endMatch.index).replace(/[;\s]/g, '');
    const blockEnd = lineEnd + 1 + endMatch.index + endMatch[0].length;
    from = blockEnd;
    if (body.length !== declared) {
      warnings.push(`The ${width}x${height} thumbnail says it has ${declared} characters of data but has ${body.length}; it may be damaged.`);
    }
    const bytes = Buffer.from(body, 'base64');
    const header = readImageHeader(bytes);
    if (!header) {
      warnings.push(`The ${width}x${height} thumbnail is not a readable PNG, JPEG or QOI image.`);
    } else if (header.width !== width || header.height !== height) {
      warnings.push(`The thumbnail announced as ${width}x${height} is really ${header.width}x${header.height} pixels.`);
    }
    thumbnails.push({
      width,
      height,
      format: header?.format ?? blockFormat(tag),
      decoded: header ? { width: header.width, height: header.height } : null,
      base64: body,
      byteLength: bytes.length,
    });
  }
  return { thumbnails, warnings, unterminated };
}

/** Whether `text` ends inside a thumbnail block (used to decide whether to read further into the file). */
export function endsInsideThumbnail(text: string): boolean {
  let idx = text.length;
  while (idx > 0) {
    idx = text.lastIndexOf('thumbnail', idx - 1);
    if (idx === -1) return false;
    const lineEnd = text.indexOf('\n', idx);
    const line = text.slice(idx, lineEnd === -1 ? text.length : lineEnd);
    if (/^thumbnail(?:_\w+)?[ \t]+end/i.test(line)) return false;
    if (/^thumbnail(?:_\w+)?[ \t]+begin/i.test(line)) return true;
  }
  return false;
}
