/** Slicer metadata of plain G-code text from its head and tail: what the slicer states, the thumbnails, and signs of truncation. */
import { AppError } from '../errors';
import { CommentIndex } from './comment-index';
import { readHeadTail, type HeadTail } from './file-access';
import { detectSlicer, EMPTY_STATEMENT } from './slicers/index';
import { assertTextFile } from './text-sniff';
import { extractThumbnails } from './thumbnails';
import type { GcodeMetadata } from './types';

const COMMAND_LINE = /^[ \t]*(?:N\d+[ \t]*)?[GMT]\d/im;

/** A plain text file's metadata, from only its first and last few hundred KB. */
export async function readTextMetadata(path: string): Promise<GcodeMetadata> {
  return metadataFromHeadTail(await readHeadTail(path));
}

export function metadataFromHeadTail({ head, tail, sizeBytes }: HeadTail): GcodeMetadata {
  assertTextFile(head, sizeBytes);
  const whole = tail === null;
  let headText = head.toString('utf8');
  let tailText = '';
  if (!whole) {
    // Drop the partial lines where the windows were cut.
    const lastNl = headText.lastIndexOf('\n');
    if (lastNl !== -1) headText = headText.slice(0, lastNl + 1);
    tailText = tail.toString('utf8');
    const firstNl = tailText.indexOf('\n');
    tailText = firstNl === -1 ? '' : tailText.slice(firstNl + 1);
  }
  const footerText = whole ? headText : tailText;
  const index = new CommentIndex(whole ? [headText] : [headText, tailText]);
  const detected = detectSlicer(headText);
  if (!detected && !COMMAND_LINE.test(headText)) {
    throw new AppError('invalid_input', 'This file does not look like G-code: no slicer comment and no G/M commands near its start. Pick the .gcode file your slicer exported.');
  }
  const text = { head: headText, tail: footerText, index };
  const statement = detected ? detected.reader.read(text, detected.slicer) : EMPTY_STATEMENT;
  const footerFound = detected ? detected.reader.footerFound(text, detected.slicer) : null;

  const warnings: string[] = [];
  const headThumbs = extractThumbnails(headText, 'start');
  const thumbnails = [...headThumbs.thumbnails];
  warnings.push(...headThumbs.warnings);
  if (!whole && !headThumbs.unterminated) {
    const tailThumbs = extractThumbnails(tailText, 'end');
    thumbnails.push(...tailThumbs.thumbnails);
    warnings.push(...tailThumbs.warnings);
  }
  const lastBytes = (tail ?? head).subarray(-4096);
  if (lastBytes.includes(0)) {
    warnings.push('The file ends in NUL bytes instead of G-code: a copy or download was probably interrupted. Copy the file again.');
  } else if (footerFound === false && detected) {
    warnings.push(`The file seems cut short: the end-of-file summary ${detected.slicer.name} always writes is missing. Export or copy it again.`);
  }
  return {
    sizeBytes,
    slicer: detected?.slicer ?? null,
    ...statement,
    thumbnails,
    footerFound,
    warnings,
  };
}
