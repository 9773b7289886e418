// Projects: create, open, close, the recent list and host facts. One project is open at a time.
import { existsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ProjectSummary } from '../../../shared/services/projects';
import { APP_VERSION } from '../../engine/version';
import { openProject, type ProjectStore } from '../../engine/store';
import { projectDefaults } from '../../engine/operations/project-defaults';
import { firstFreeName } from '../../engine/images/free-name';
import { RpcError } from '../../../shared/contract/define';
import type { AppContext, ServiceHandlers } from '../api';
import { userPath } from '../paths';
import { projectName, type RecentProjects } from '../recent';
import { requireImageFolder } from '../image-folder';

const EXTENSION = '.vaestudio';

export interface ProjectsDeps {
  recent: RecentProjects;
  /** Ends the current project's jobs (training saves a checkpoint) before another project replaces it. */
  stopJobs(): Promise<void>;
  /** Whether the open project is training right now. */
  trainingRunning(): boolean;
}

export function createProjectsHandlers(app: AppContext, { recent, stopJobs, trainingRunning }: ProjectsDeps): ServiceHandlers<'projects'> {
  /** Switching away from a running training needs the person's yes: it stops the run at a checkpoint. */
  const refuseWhileTraining = (stopTraining: boolean) => {
    const store = app.session.current();
    if (store && trainingRunning() && !stopTraining) {
      throw new RpcError('busy', `Training is running in ${projectName(store.path)}: stop it at a checkpoint and switch?`);
    }
  };

  return {
    async recent() {
      await recent.settled();
      return { projects: recent.list() };
    },

    async create({ name, path, kind, imageSize, latentSize, alpha, folder, stopTraining }) {
      // Nothing is created (or added to Recent) for a folder that cannot be imported.
      if (folder !== undefined) await requireImageFolder(userPath(folder));
      refuseWhileTraining(stopTraining);
      const defaults = projectDefaults(kind);
      imageSize ??= defaults.imageSize;
      latentSize ??= defaults.latentSize;
      const target = path ? withExtension(userPath(path), name) : await uniquePath(app.options.projectsFolder, name);
      openProject(target, { create: { kind, imageSize, latentSize, alpha, appVersion: APP_VERSION } }).close();
      await stopJobs();
      return summarize(app.session.open(target));
    },

    /** The current project stays open when the new one cannot be opened. */
    async open({ path, stopTraining }) {
      const target = userPath(path);
      const open = app.session.current();
      if (open?.path === target) return summarize(open); // already open: nothing to stop or reload
      refuseWhileTraining(stopTraining);
      await stopJobs();
      return summarize(app.session.open(target));
    },

    current: () => {
      const store = app.session.current();
      return { project: store ? summarize(store) : null };
    },

    async close() {
      await app.session.close();
      return {};
    },

    host: () => ({
      host: app.options.host,
      version: APP_VERSION,
      projectsFolder: app.options.projectsFolder,
      homeFolder: homedir(),
    }),
  };
}

/** What the Start screen and the title bar show about a project. */
export function summarize(store: ProjectStore): ProjectSummary {
  const settings = store.getSettings();
  const counts = store.images.counts();
  return {
    path: store.path,
    name: projectName(store.path),
    kind: settings.kind,
    imageSize: settings.imageSize,
    latentSize: settings.latentSize,
    imageChannels: settings.imageChannels,
    images: { total: counts.total, ready: counts.ok, failed: counts.failed, duplicate: counts.duplicate },
    checkpoints: store.checkpoints.list().length,
    sourceFolder: lastImportedFolder(store),
  };
}

/** Emits projects.changed with the current project. */
export function announceProject(app: AppContext): void {
  const store = app.session.current();
  app.emit('projects', 'changed', { project: store ? summarize(store) : null });
}

function lastImportedFolder(store: ProjectStore): string | null {
  const row = store.db.prepare('SELECT root FROM images ORDER BY updated_at DESC, id DESC LIMIT 1').get() as { root: string } | undefined;
  return row?.root ?? null;
}

/** A given folder gets "<name>.vaestudio" inside it; a given file name gets the extension if it lacks one. */
function withExtension(path: string, name: string): string {
  if (existsSync(path) && statSync(path).isDirectory()) return join(path, `${fileStem(name)}${EXTENSION}`);
  return path.toLowerCase().endsWith(EXTENSION) ? path : path + EXTENSION;
}

/** "<folder>/<name>.vaestudio", or "<name> 2.vaestudio"… when taken. */
async function uniquePath(folder: string, name: string): Promise<string> {
  await mkdir(folder, { recursive: true });
  const stem = fileStem(name);
  const path = await firstFreeName((n) => join(folder, `${n === 1 ? stem : `${stem} ${n}`}${EXTENSION}`));
  if (path === undefined) throw new RpcError('failed', `${folder} holds too many projects named ${stem}; choose another name.`);
  return path;
}

/** A project name made safe as a file name on every desktop OS. */
export function fileStem(name: string): string {
  const safe = name
    .normalize('NFC')
    .replace(/[\u0000-\u001f<>:"/\\|?*]/g, '-')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 100);
  return safe || 'Untitled';
}
