#!/usr/bin/env node
// Draws the app icon in code (no image tools needed) and writes build/icon.png (512×512, used for
// Windows and macOS, which electron-builder converts to .ico/.icns) and build/icons/NxN.png for Linux.
// Run again after changing the drawing: `node build/make-icons.mjs`; the PNGs are committed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512];

/** Coverage-weighted colour of the icon at (x, y) in a 1×1 square: a blue tile, a white "C", a dot. */
function shade(x, y) {
  // Rounded square tile, 6 % margin, corner radius 0.2, vertical gradient from indigo to teal.
  const tile = roundedRect(x, y, 0.06, 0.94, 0.2);
  if (tile <= 0) return null;
  const t = (y - 0.06) / 0.88;
  let color = mix([40, 53, 147], [0, 137, 123], t);
  // The "C": a ring (radius 0.27, width 0.1) open to the right by ±40°, with rounded ends.
  const cx = 0.5;
  const cy = 0.5;
  const dx = x - cx;
  const dy = y - cy;
  const r = Math.hypot(dx, dy);
  const angle = Math.abs(Math.atan2(dy, dx));
  const open = (40 * Math.PI) / 180;
  let ring = angle > open && Math.abs(r - 0.27) < 0.05;
  if (!ring) {
    for (const s of [-1, 1]) {
      const ex = cx + 0.27 * Math.cos(open);
      const ey = cy + s * 0.27 * Math.sin(open);
      if (Math.hypot(x - ex, y - ey) < 0.05) ring = true;
    }
  }
  // The dot: an ad slot served in the middle.
  const dot = Math.hypot(dx - 0.04, dy) < 0.075;
  if (ring || dot) color = [255, 255, 255];
  return [...color, 255];
}

function roundedRect(x, y, lo, hi, radius) {
  const qx = Math.max(lo + radius - x, 0, x - (hi - radius));
  const qy = Math.max(lo + radius - y, 0, y - (hi - radius));
  return Math.hypot(qx, qy) <= radius ? 1 : 0;
}

function mix(a, b, t) {
  return a.map((v, i) => Math.round(v + (b[i] - v) * Math.min(1, Math.max(0, t))));
}

/** RGBA pixels of the icon at `size`, 4×4 supersampled for smooth edges. */
function render(size) {
  const pixels = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const c = shade((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size);
          if (!c) continue;
          // Premultiplied, so that transparent samples do not darken the edges.
          for (let i = 0; i < 3; i++) sum[i] += (c[i] * c[3]) / 255;
          sum[3] += c[3];
        }
      }
      const o = (py * size + px) * 4;
      const alpha = sum[3] / (n * n);
      for (let i = 0; i < 3; i++) pixels[o + i] = alpha ? Math.round((sum[i] / (n * n)) * (255 / alpha)) : 0;
      pixels[o + 3] = Math.round(alpha);
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A PNG file (8-bit RGBA, no interlace) of `size`×`size` pixels. */
export function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4); // filter byte 0
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  fs.mkdirSync(path.join(here, 'icons'), { recursive: true });
  for (const size of SIZES) {
    const png = encodePng(size, render(size));
    fs.writeFileSync(path.join(here, 'icons', `${size}x${size}.png`), png);
    if (size === 512) fs.writeFileSync(path.join(here, 'icon.png'), png);
  }
  console.log(`wrote build/icon.png and build/icons/{${SIZES.map((s) => `${s}x${s}`).join(',')}}.png`);
}
