/** The G-code analyzer: slicer metadata, thumbnails, extents, layers and our own time estimate. */
export { analyzeGcodeFile, analyzeGcodeStream } from './analyze';
export { readGcodeMetadata } from './metadata';
export { analyzeThreeMfFile, readThreeMfMetadata, slicedPlateEntries, NOT_SLICED_HINT } from './three-mf';
export { analyzeBgcodeFile, bgcodeText, isBgcodeFile, readBgcodeMetadata } from './bgcode/reader';
export { toAnalyzeJson, type AnalyzeJson } from './json';
export { formatDuration, parseDuration } from './durations';
export { trapezoidSeconds } from './time-estimator';
export { DEFAULT_MAX_BYTES } from './limits';
export * from './types';
