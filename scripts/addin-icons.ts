// Draws the add-in's icons (assets/icon-16/32/64/80/128.png, the sizes the manifest and the ribbon ask
// for) from one SVG with resvg: a green tile with three rising bars and a tick — progress checked.
// Run: npx tsx scripts/addin-icons.ts (the PNGs are committed; this is how to redraw them).
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Resvg } from '@resvg/resvg-js';

export const ICON_SIZES = [16, 32, 64, 80, 128] as const;

/** The icon at a size: small sizes drop the tick, which would be a smudge at 16 px. */
export function iconSvg(size: number): string {
  const tick = size >= 32;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 64 64">
  <rect x="1" y="1" width="62" height="62" rx="12" fill="#107C41"/>
  <rect x="11" y="36" width="10" height="18" rx="2" fill="#FFFFFF"/>
  <rect x="27" y="26" width="10" height="28" rx="2" fill="#FFFFFF"/>
  <rect x="43" y="${tick ? 30 : 14}" width="10" height="${tick ? 24 : 40}" rx="2" fill="#FFFFFF"/>
  ${tick ? '<path d="M36 17 L43 24 L56 9" fill="none" stroke="#FFE699" stroke-width="6" stroke-linecap="round" stroke-linejoin="round"/>' : ''}
</svg>`;
}

export function renderIcon(size: number): Buffer {
  return Buffer.from(new Resvg(iconSvg(size), { fitTo: { mode: 'width', value: size } }).render().asPng());
}

if (require.main === module) {
  const dir = path.resolve(__dirname, '..', 'assets');
  mkdirSync(dir, { recursive: true });
  for (const size of ICON_SIZES) writeFileSync(path.join(dir, `icon-${size}.png`), renderIcon(size));
  console.log(`icons written to ${dir}`);
}
