import { extname, join, normalize, resolve, sep } from 'node:path';

/**
 * Maps an app:// request to a file inside the built renderer, or null when the path would escape it.
 * Paths without an extension are the UI's own routes and get index.html.
 */
export function resolveRendererFile(rendererDir: string, requestUrl: string): string | null {
  const base = resolve(rendererDir);
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(requestUrl).pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  if (pathname === '/' || !extname(pathname)) return join(base, 'index.html');
  const file = resolve(join(base, normalize(pathname)));
  return file.startsWith(base + sep) ? file : null;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export function mimeType(file: string): string {
  return MIME[extname(file)] ?? 'application/octet-stream';
}
