export const LIBRARY_METHODS = ['library.list', 'library.get', 'library.uploadBegin', 'library.uploadChunk', 'library.uploadEnd', 'library.uploadAbort', 'library.remove'] as const;
