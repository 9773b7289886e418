// createAppEngine: the app engine every host runs. It wires one project session, the job runner, the media
// registry and every service's handlers into a dispatcher built from the contract; hosts see only AppEngine.
import type { CallContext } from '../../shared/contract/define';
import { createDispatcher, type Implementation } from '../../shared/contract/dispatch';
import { SERVICES, type Services } from '../../shared/services';
import type { AppContext, AppEngine, AppEngineOptions, EventListener } from './api';
import { toRpcError } from './errors';
import { Jobs } from './job-queue';
import { MediaRegistry } from './media';
import { RecentProjects } from './recent';
import { ProjectSession } from './session';
import { SpeedMemory } from './speed-memory';
import { Thumbnails } from './thumbnails';
import { TrainingController } from './training-controller';
import { createCheckpointsHandlers } from './services/checkpoints';
import { createDatasetHandlers } from './services/dataset';
import { createDenoiseHandlers } from './services/denoise';
import { createExploreHandlers } from './services/explore';
import { createExportsHandlers } from './services/exports';
import { createGalleryHandlers } from './services/gallery';
import { createJobsHandlers } from './services/jobs';
import { announceProject, createProjectsHandlers } from './services/projects';
import { createTrainingHandlers } from './services/training';

export function createAppEngine(options: AppEngineOptions): AppEngine {
  const listeners = new Set<EventListener>();
  const emit = (service: string, event: string, payload: unknown) => {
    for (const listener of listeners) {
      try {
        listener(service, event, payload);
      } catch (error) {
        console.error(`An event listener failed on ${service}.${event}:`, error);
      }
    }
  };
  const jobs = new Jobs(emit);
  const recent = new RecentProjects(options.configFolder);
  const session = new ProjectSession(recent, () => jobs.cancelAll());
  const media = new MediaRegistry(() => session.mediaScope());
  const app: AppContext = {
    options,
    session,
    jobs,
    emit,
    registerMedia: (prefix, resolve) => media.register(prefix, resolve),
    mediaRef: (prefix, id) => media.ref(prefix, id),
  };

  const training = new TrainingController(app, options.backend ?? 'auto', new SpeedMemory(options.configFolder));
  const thumbnails = new Thumbnails();
  session.onChange(() => {
    training.reset();
    thumbnails.clear();
    announceProject(app);
  });

  const impl: Implementation<Services> = {
    projects: createProjectsHandlers(app, { recent, stopJobs: () => jobs.cancelAll(), trainingRunning: () => training.isRunning() }),
    jobs: createJobsHandlers(app),
    dataset: createDatasetHandlers(app, thumbnails),
    training: createTrainingHandlers(app, training),
    checkpoints: createCheckpointsHandlers(app, session, training),
    explore: createExploreHandlers(app),
    exports: createExportsHandlers(app),
    gallery: createGalleryHandlers(app),
    denoise: createDenoiseHandlers(app),
  };
  const dispatcher = createDispatcher(SERVICES, impl);
  const ctx: CallContext = { emit };

  return {
    async dispatch(service, method, input) {
      try {
        return await dispatcher(service, method, input, ctx);
      } catch (error) {
        throw toRpcError(error, `${String(service)}.${String(method)}`);
      }
    },
    media: (ref) => media.resolve(ref),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async shutdown() {
      await training.stop().catch((error) => console.error('Training did not stop cleanly:', error));
      await session.close();
    },
  };
}

