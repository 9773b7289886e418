// The product's version, which the engine stamps into every project it creates and every host reports.
import { createRequire } from 'node:module';

/** The app's version, from package.json (read once, relative to this module's bundle or source). */
export const APP_VERSION: string = (() => {
  const require = createRequire(import.meta.url);
  for (const candidate of ['../package.json', '../../package.json']) {
    try {
      return (require(candidate) as { version: string }).version;
    } catch {
      // Try the next location: a bundle in dist/ and this source file sit at different depths.
    }
  }
  return '0.0.0';
})();
