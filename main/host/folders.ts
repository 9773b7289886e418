// Where a host keeps the user's things by default: ~/VAE Studio for projects, exports beside them, and a small
// settings folder (recent projects). VAE_STUDIO_HOME moves all of it, so tests never touch a real home folder.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AppEngineOptions } from '../studio/api';

export function studioHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.VAE_STUDIO_HOME ? resolve(env.VAE_STUDIO_HOME) : join(homedir(), 'VAE Studio');
}

export function studioFolders(home: string, projectsFolder?: string): Pick<AppEngineOptions, 'projectsFolder' | 'exportsFolder' | 'configFolder'> {
  return {
    projectsFolder: projectsFolder ? resolve(projectsFolder) : home,
    exportsFolder: join(home, 'Exports'),
    configFolder: join(home, '.settings'),
  };
}
