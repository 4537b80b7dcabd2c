import type { LIBRARY_METHODS } from '../contract/names/library';
import type { Farm } from '../jobs/farm';
import type { Library } from '../jobs/library';
import type { HandlersFor } from '../rpc/dispatch';

export function createLibraryHandlers(deps: { library: Library; farm: Farm }): HandlersFor<(typeof LIBRARY_METHODS)[number]> {
  const { library, farm } = deps;
  return {
    'library.list': async () => library.list(),
    'library.get': async ({ sha256 }) => library.get(sha256),
    'library.uploadBegin': async ({ name, sizeBytes }) => library.beginUpload(name, sizeBytes),
    'library.uploadChunk': async ({ uploadId, offset, base64 }) => library.uploadChunk(uploadId, offset, base64),
    'library.uploadEnd': async ({ uploadId }) => library.endUpload(uploadId),
    'library.uploadAbort': async ({ uploadId }) => {
      await library.abortUpload(uploadId);
      return { ok: true };
    },
    'library.remove': async ({ sha256 }) => {
      await library.remove(sha256, farm.jobsUsingFile(sha256));
      return { removed: true };
    },
  };
}
