import type { Api } from '../../api';
import type { LibraryFileView } from '../../../../electron/core/contract/jobs-types';

/** The base64 of a slice of a file, read by the browser off the main thread. */
function sliceBase64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      // readAsDataURL: the result is the data URL string.
      const url = reader.result as string;
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.readAsDataURL(blob);
  });
}

/**
 * Sends a file to the library in chunks over the same API in both hosts (WebSocket in a browser, IPC on the
 * desktop), so a large file never blocks the connection. Reports progress as a fraction of bytes sent.
 */
export async function uploadFile(api: Api, file: File, onProgress: (fraction: number) => void): Promise<{ file: LibraryFileView; duplicate: boolean }> {
  const { uploadId, chunkBytes } = await api.call('library.uploadBegin', { name: file.name, sizeBytes: file.size });
  try {
    for (let offset = 0; offset < file.size; offset += chunkBytes) {
      const base64 = await sliceBase64(file.slice(offset, offset + chunkBytes));
      await api.call('library.uploadChunk', { uploadId, offset, base64 });
      onProgress(Math.min(1, (offset + chunkBytes) / file.size));
    }
    return await api.call('library.uploadEnd', { uploadId });
  } catch (err) {
    await api.call('library.uploadAbort', { uploadId }).catch(() => undefined);
    throw err;
  }
}
