// Every service the renderer can call. Both hosts dispatch exactly these; the client is generated from them.
import { checkpointsService } from './checkpoints';
import { datasetService } from './dataset';
import { denoiseService } from './denoise';
import { exploreService } from './explore';
import { exportsService } from './exports';
import { galleryService } from './gallery';
import { jobsService } from './jobs';
import { projectsService } from './projects';
import { trainingService } from './training';

export const SERVICES = {
  projects: projectsService,
  jobs: jobsService,
  dataset: datasetService,
  training: trainingService,
  checkpoints: checkpointsService,
  explore: exploreService,
  exports: exportsService,
  gallery: galleryService,
  denoise: denoiseService,
} as const;

export type Services = typeof SERVICES;
