import { encodePng } from './png-writer';

type Rgb = readonly [number, number, number];

/** A 5×7 bitmap font with just what demo banners say ("DEMO AD", sizes like 300X250). */
const GLYPHS: Record<string, readonly string[]> = {
  ' ': ['00000', '00000', '00000', '00000', '00000', '00000', '00000'],
  A: ['01110', '10001', '10001', '11111', '10001', '10001', '10001'],
  D: ['11110', '10001', '10001', '10001', '10001', '10001', '11110'],
  E: ['11111', '10000', '10000', '11110', '10000', '10000', '11111'],
  M: ['10001', '11011', '10101', '10101', '10001', '10001', '10001'],
  O: ['01110', '10001', '10001', '10001', '10001', '10001', '01110'],
  X: ['10001', '10001', '01010', '00100', '01010', '10001', '10001'],
  '0': ['01110', '10001', '10011', '10101', '11001', '10001', '01110'],
  '1': ['00100', '01100', '00100', '00100', '00100', '00100', '01110'],
  '2': ['01110', '10001', '00001', '00010', '00100', '01000', '11111'],
  '3': ['11110', '00001', '00001', '01110', '00001', '00001', '11110'],
  '4': ['00010', '00110', '01010', '10010', '11111', '00010', '00010'],
  '5': ['11111', '10000', '11110', '00001', '00001', '10001', '01110'],
  '6': ['00110', '01000', '10000', '11110', '10001', '10001', '01110'],
  '7': ['11111', '00001', '00010', '00100', '01000', '01000', '01000'],
  '8': ['01110', '10001', '10001', '01110', '10001', '10001', '01110'],
  '9': ['01110', '10001', '10001', '01111', '00001', '00010', '01100'],
};

/** A PNG of one colour (tests and fixtures). */
export function solidPng(width: number, height: number, rgb: Rgb): Buffer {
  const pixels = new Uint8Array(width * height * 3);
  for (let i = 0; i < pixels.length; i += 3) pixels.set(rgb, i);
  return encodePng(width, height, pixels);
}

/** A demo banner: background, a 2 px frame and centred lines of text (characters of GLYPHS only). */
export function demoBannerPng(width: number, height: number, background: Rgb, foreground: Rgb, lines: readonly string[]): Buffer {
  const pixels = new Uint8Array(width * height * 3);
  const paint = (x: number, y: number, c: Rgb) => {
    if (x >= 0 && y >= 0 && x < width && y < height) pixels.set(c, (y * width + x) * 3);
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) paint(x, y, x < 2 || y < 2 || x >= width - 2 || y >= height - 2 ? foreground : background);
  }
  const cols = Math.max(...lines.map((l) => l.length)) * 6 - 1;
  const rows = lines.length * 9 - 2;
  const scale = Math.max(1, Math.floor(Math.min((width * 0.85) / cols, (height * 0.7) / rows)));
  const top = Math.floor((height - rows * scale) / 2);
  lines.forEach((line, li) => {
    const left = Math.floor((width - (line.length * 6 - 1) * scale) / 2);
    [...line.toUpperCase()].forEach((ch, ci) => {
      const glyph = GLYPHS[ch] ?? GLYPHS[' ']!;
      glyph.forEach((bits, gy) => {
        for (let gx = 0; gx < 5; gx++) {
          if (bits[gx] !== '1') continue;
          for (let sy = 0; sy < scale; sy++) {
            for (let sx = 0; sx < scale; sx++) paint(left + (ci * 6 + gx) * scale + sx, top + (li * 9 + gy) * scale + sy, foreground);
          }
        }
      });
    });
  });
  return encodePng(width, height, pixels);
}
