// Draws resources/icon.png (1024×1024), the app icon electron-builder turns into .icns/.ico/AppImage icons:
// a rounded dark tile with a soft latent-space blob and a few sample points. Re-run to regenerate.
import sharp from 'sharp';

const dots = [
  [380, 420, 34, '#ffd166'],
  [600, 360, 26, '#06d6a0'],
  [650, 610, 40, '#ef476f'],
  [420, 650, 22, '#8ecae6'],
  [520, 510, 18, '#ffffff'],
];
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1024" height="1024" viewBox="0 0 1024 1024">
  <defs>
    <linearGradient id="tile" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#2b2d42"/><stop offset="1" stop-color="#11121a"/></linearGradient>
    <radialGradient id="blob" cx="0.5" cy="0.5" r="0.5"><stop offset="0" stop-color="#7b61ff" stop-opacity="0.95"/><stop offset="0.6" stop-color="#4cc9f0" stop-opacity="0.45"/><stop offset="1" stop-color="#4cc9f0" stop-opacity="0"/></radialGradient>
  </defs>
  <rect x="64" y="64" width="896" height="896" rx="200" fill="url(#tile)"/>
  <ellipse cx="512" cy="512" rx="340" ry="300" fill="url(#blob)"/>
  ${dots.map(([x, y, r, c]) => `<circle cx="${x}" cy="${y}" r="${r}" fill="${c}"/>`).join('\n  ')}
</svg>`;

await sharp(Buffer.from(svg)).png().toFile('resources/icon.png');
console.log('Wrote resources/icon.png');
