import { randomBytes } from 'node:crypto';

export interface MultipartFile {
  field: string;
  fileName: string;
  size: number;
  open(): AsyncIterable<Uint8Array>;
}

export interface MultipartBody {
  contentType: string;
  length: number;
  /** A fresh stream of the whole body; the file is streamed, never held in memory. */
  open(): AsyncIterable<Uint8Array>;
}

/** multipart/form-data with text fields first and one streamed file, with an exact Content-Length. */
export function multipartBody(fields: Record<string, string>, file: MultipartFile): MultipartBody {
  const boundary = `----apf${randomBytes(12).toString('hex')}`;
  const quote = (s: string) => s.replace(/[\r\n"\\]/g, '_');
  let head = '';
  for (const [name, value] of Object.entries(fields)) {
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n${value}\r\n`;
  }
  head += `--${boundary}\r\nContent-Disposition: form-data; name="${quote(file.field)}"; filename="${quote(file.fileName)}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const headBytes = Buffer.from(head, 'utf8');
  const tailBytes = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: headBytes.length + file.size + tailBytes.length,
    async *open() {
      yield headBytes;
      yield* file.open();
      yield tailBytes;
    },
  };
}
