// All the renderer's state, made from one connection and handed to components through Svelte context: a
// component calls useStudio() instead of importing a module-level singleton, and a test builds the state it
// needs on a fake transport. app/main.ts creates the one real studio and starts it.
import { getContext } from 'svelte';
import type { Connection } from '../api/client';
import { type Command, createCommands } from '../app/commands';
import { CheckpointsModel } from './checkpoints/checkpoints.svelte';
import { DatasetModel } from './dataset/dataset.svelte';
import { DenoiseModel } from './denoise/denoise.svelte';
import { ExportLook } from './exports/look.svelte';
import { ExploreModel } from './explore/explore.svelte';
import { GalleryModel } from './gallery/gallery.svelte';
import { InterpolateModel } from './interpolate/interpolate.svelte';
import { JobProgress } from './jobs/jobs.svelte';
import { AppState } from './shell/app.svelte';
import { ErrorList } from './shell/errors.svelte';
import { ProjectsModel } from './shell/projects.svelte';
import { ThemeState } from './shell/theme.svelte';
import { TrainingModel } from './train/training.svelte';

export function createStudio(connection: Connection) {
  const { api, nativeDialogs } = connection;
  const errors = new ErrorList();
  const deps = { api, errors };
  const app = new AppState(deps);
  const explore = new ExploreModel(deps, app);
  const training = new TrainingModel(deps);
  const theme = new ThemeState();
  const exportLook = new ExportLook();
  const commands: Command[] = createCommands({ app, explore, training, theme });
  return {
    api,
    nativeDialogs,
    connection,
    errors,
    app,
    theme,
    commands,
    projects: new ProjectsModel(deps, app),
    jobs: new JobProgress(deps),
    dataset: new DatasetModel(deps),
    training,
    explore,
    checkpoints: new CheckpointsModel(deps, explore),
    interpolate: new InterpolateModel(deps, app, exportLook),
    gallery: new GalleryModel(deps, app, exportLook),
    exportLook,
    denoise: new DenoiseModel(deps),
  };
}
export type Studio = ReturnType<typeof createStudio>;

/** Subscribes the state to the host's events and loads what the first screen shows. */
export function startStudio(studio: Studio): void {
  const { app, theme, jobs, training, explore, checkpoints, interpolate, denoise, dataset, gallery, connection } = studio;
  theme.start();
  jobs.start();
  training.listen();
  explore.listen();
  checkpoints.listen();
  connection.onConnectionState((state) => (app.connection = state));
  app.onSwitch(() => {
    training.reset();
    explore.reset();
    interpolate.reset();
    denoise.reset();
    dataset.reset();
    gallery.reset();
    checkpoints.reset();
  });
  void app.start();
}

const STUDIO = Symbol('studio');

/** The context to mount the app with, so every component below can call useStudio(). */
export function studioContext(studio: Studio): Map<symbol, Studio> {
  return new Map([[STUDIO, studio]]);
}

/** The studio the app was mounted with; call during a component's initialisation. */
export function useStudio(): Studio {
  const studio = getContext<Studio | undefined>(STUDIO);
  if (!studio) throw new Error('useStudio() needs the app mounted with studioContext(createStudio(...))');
  return studio;
}
