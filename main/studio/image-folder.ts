// The folder a person names for their images: checked before a project is created or a dataset imported, so a
// mistyped path, a file or an empty folder is refused with a message that says what to do.
import { readdir, stat } from 'node:fs/promises';
import { RpcError } from '../../shared/contract/define';

/** A folder that exists and holds something; refused with a message that says what to do otherwise. */
export async function requireImageFolder(path: string): Promise<void> {
  const info = await stat(path).catch(() => null);
  if (!info) throw new RpcError('not-found', `There is no folder at ${path}; check the path (or create the folder and put your images in it).`);
  if (!info.isDirectory()) throw new RpcError('invalid-input', `${path} is a file, not a folder; choose the folder that holds your images.`);
  const entries = await readdir(path).catch((error: NodeJS.ErrnoException) => {
    throw new RpcError('invalid-input', `The folder ${path} cannot be read (${error.code ?? error.message}); check its permissions.`);
  });
  if (!entries.some((name) => !name.startsWith('.'))) {
    throw new RpcError('invalid-input', `The folder ${path} is empty: put your images in it (PNG, JPEG, GIF, WebP…) and import it again.`);
  }
}
