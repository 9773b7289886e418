// openProject: the one way into a project file. Creates a new one, or opens an existing one after checking it
// is really a VAE Studio project this version understands, bringing an older one up to date.
import type Database from 'better-sqlite3';
import { connect, enableDurableWrites, isOurs } from './connection';
import { createProjectFile } from './create-project';
import { ProjectError, describeWriteFailure } from './errors';
import { migrate, needsMigration, SCHEMA_VERSION, SchemaTooNewError, schemaVersion } from './migrations';
import { checkProjectFile } from './project-file';
import { ProjectStore } from './project-store';
import { type ProjectSettings, readSettings } from './settings';

export interface OpenOptions {
  /** Create a new project with these settings; refuses when a file already exists at the path. */
  create?: ProjectSettings;
  /** Open without writing anything; an older project that needs updating is refused. */
  readonly?: boolean;
}

export function openProject(path: string, options: OpenOptions = {}): ProjectStore {
  const readonly = options.readonly ?? false;
  if (options.create) {
    if (readonly) throw new ProjectError('invalid-input', 'A project cannot be created read-only');
    createProjectFile(path, options.create);
  } else {
    checkProjectFile(path);
  }
  let db: Database.Database | undefined;
  try {
    db = connect(path, readonly);
    return new ProjectStore(db, path, prepare(db, path, readonly));
  } catch (error) {
    db?.close();
    throw explainOpenFailure(error, path);
  }
}

/** Checks the file is ours and current (migrating it if allowed), and returns its settings. */
function prepare(db: Database.Database, path: string, readonly: boolean) {
  if (!isOurs(db)) {
    throw new ProjectError('not-a-project', `${path} is not a VAE Studio project (an SQLite database of another application)`);
  }
  const outdated = needsMigration(db);
  if (!readonly) enableDurableWrites(db);
  if (outdated) {
    if (readonly) {
      throw new ProjectError(
        'needs-upgrade',
        `${path} was written by an older VAE Studio (schema ${schemaVersion(db)}) and must be updated to schema ` +
          `${SCHEMA_VERSION}; open it once without read-only`,
      );
    }
    migrate(db);
  }
  const settings = readSettings(db);
  if (!settings) throw new ProjectError('damaged', `${path} is damaged: its project settings are missing`);
  return settings;
}

function explainOpenFailure(error: unknown, path: string): unknown {
  if (error instanceof SchemaTooNewError) {
    return new ProjectError(
      'too-new',
      `${path} was written by a newer VAE Studio (schema ${error.found}, this version understands ${error.supported}); update the app`,
      { cause: error },
    );
  }
  return describeWriteFailure(error, path, 'open the project');
}
