import type { LIBRARY_METHODS } from '../contract/names/library';
import type { Farm } from '../jobs/farm';
import type { Library } from '../jobs/library';
import type { HandlersFor } from '../rpc/dispatch';

export function createLibraryHandlers(deps: { library: Library; farm: Farm }): HandlersFor<(typeof LIBRARY_METHODS)[number]> {
  const { library, farm } = deps;
  return {
    'library.list': async () => library.list(),
    'library.get': async ({ sha256 }) => library.get(sha256),
    'library.uploadBegin': async ({ name, sizeBytes }, ctx) => library.beginUpload(name, sizeBytes, ctx.session),
    'library.uploadChunk': async ({ uploadId, offset, base64 }, ctx) => library.uploadChunk(uploadId, offset, base64, ctx.session),
    'library.uploadEnd': async ({ uploadId }, ctx) => library.endUpload(uploadId, ctx.session),
    'library.uploadAbort': async ({ uploadId }, ctx) => {
      await library.abortUpload(uploadId, ctx.session);
      return { ok: true };
    },
    'library.remove': async ({ sha256 }) => {
      await library.remove(sha256, farm.jobsUsingFile(sha256));
      return { removed: true };
    },
  };
}
