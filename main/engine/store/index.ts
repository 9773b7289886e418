// The project store: one SQLite file per project. Start at openProject().
export { openProject, type OpenOptions } from './open';
export { ProjectStore } from './project-store';
export { ProjectError, type ProjectErrorCode } from './errors';
export { ALPHA_MODES, type AlphaMode, PROJECT_KINDS, type ProjectKind, type ProjectSettings, type SavedSettings } from './settings';
export { SCHEMA_VERSION } from './migrations';
export { APPLICATION_ID } from './connection';
export { IMAGE_STATUSES, type ImageCounts, type ImageFilter, type ImageInput, type ImageRecord, type ImageStatus } from './image-types';
export type { TrainingPixels } from './training-pixels';
export { SPLITS, splitForHash, type Split } from './validation-split';
export { RUN_STATUSES, type Run, type RunConfig, type RunStatus } from './runs';
export type { MetricPoint, MetricQuery } from './metrics';
export type { Checkpoint, CheckpointInfo, CheckpointInput, SaveOptions } from './checkpoints';
export { PREVIEW_KINDS, type Preview, type PreviewInfo, type PreviewInput, type PreviewKind } from './previews';
export { sha256Hex } from './hash';
export type { ImageIndex } from './image-index';
export type { Runs } from './runs';
export type { Metrics } from './metrics';
export type { Checkpoints } from './checkpoints';
export type { Previews } from './previews';
export {
  CONFLICT_POLICIES,
  DENOISE_BATCH_STATUSES,
  DENOISE_ITEM_STATUSES,
  type ConflictPolicy,
  type DenoiseBatch,
  type DenoiseBatchStatus,
  type DenoiseItem,
  type DenoiseItemCounts,
  type DenoiseItemStatus,
} from './denoise-batches';
export type { DenoiseBatches } from './denoise-batches';
export { GALLERY_OPERATIONS, type GalleryItemInput, type GalleryOperation, type GalleryRecord } from './gallery';
export type { Gallery } from './gallery';
