/** Denoising infrastructure, independent of the model: tiling for big images and resumable folder batches. */
export { processTiled, tileStarts, type TiledImage, type TileFn, type TiledOptions, type TileSize } from './tiling';
export { runDenoiseBatch, report as denoiseBatchReport, type DenoiseBatchOptions, type DenoiseBatchReport, type DenoiseFile } from './batch';
export { DenoiseBatchError, type DenoiseBatchErrorCode } from './errors';
export { reportCsv, csvField } from './report-csv';
