/** Image I/O for the engine: scan a folder, decode to training pixels, encode outputs, write files atomically. */
export { scanFolder, ScanError, comparePaths, type ScannedFile, type ScanOptions, type ScanResult, type SkippedEntry, type SkipKind } from './scan';
export {
  prepareImage,
  prepareImageAny,
  prepareImageBuffer,
  DEFAULT_BACKGROUND,
  type PreparedImage,
  type PrepareOptions,
  type Rgb,
} from './decode';
export { anyTransparent, hasTransparency } from './transparency';
export { prepareImages, DEFAULT_PREPARE_CONCURRENCY, type PrepareManyOptions, type PrepareOutcome } from './prepare-many';
export { ImageError, type ImageErrorCode } from './image-error';
export { MAX_INPUT_PIXELS, MAX_INPUT_BYTES, MAX_PREPARED_SIZE } from './limits';
export { encodePng, makeGrid, encodeGif, type Grid, type GifOptions } from './encode';
export { writeFileAtomic, FileWriteError, type FileWriteErrorKind, type WriteFileAtomicOptions } from './atomic-write';
