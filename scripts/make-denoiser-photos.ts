// Rebuilds the photo folder the shipped denoiser (resources/denoiser) was trained on, from the Debian packages
// listed in resources/denoiser/training-photos.txt: downloads them (apt-get download, no install), unpacks them,
// and writes each photo at two sizes (longest side 1024 and 600 px), so that the crops a denoise project keeps
// hold texture at the scale of everyday photos rather than the near-featureless detail of 6000-px wallpapers.
// Usage (as root, after apt-get update): npx tsx scripts/make-denoiser-photos.ts <out folder>
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import sharp from 'sharp';

const SIDES = [1024, 600];
const out = process.argv[2];
if (!out) throw new Error('usage: make-denoiser-photos <out folder>');
const list = readFileSync(join(import.meta.dirname, '..', 'resources', 'denoiser', 'training-photos.txt'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('#'))
  .map((l) => l.split(' ') as [string, string]);

const work = mkdtempSync(join(tmpdir(), 'denoiser-photos-'));
try {
  const packages = [...new Set(list.map(([pkg]) => pkg))];
  execFileSync('apt-get', ['download', ...packages], { cwd: work, stdio: 'inherit' });
  for (const deb of readdirSync(work).filter((f) => f.endsWith('.deb'))) {
    const into = join(work, 'root', deb.split('_')[0]);
    mkdirSync(into, { recursive: true });
    execFileSync('dpkg-deb', ['-x', deb, into], { cwd: work });
  }
  mkdirSync(out, { recursive: true });
  for (const [pkg, file] of list) {
    const source = join(work, 'root', pkg, file);
    // Whole path in the name: Plasma's wallpapers are all called contents/images/<resolution>.jpg.
    const stem = `${pkg}-${file.slice(0, -extname(file).length).replace(/^usr\/share\//, '').replace(/[^A-Za-z0-9]+/g, '-')}`;
    for (const side of SIDES) {
      await sharp(source, { limitInputPixels: 1e9 })
        .autoOrient()
        .resize(side, side, { fit: 'inside', withoutEnlargement: true, kernel: 'lanczos3' })
        .png()
        .toFile(join(out, `${stem}-${side}.png`));
    }
  }
  console.log(`${list.length} photos × ${SIDES.length} sizes written to ${out}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
