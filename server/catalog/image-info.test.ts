import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { demoBannerPng, solidPng } from './demo-images';
import { readImageInfo } from './image-info';
import { crc32 } from './png-writer';
import { SAMPLE_HEADERS } from '../test/sample-images';

describe('readImageInfo', () => {
  it('reads PNG, GIF, JPEG and WebP sizes from their headers', () => {
    expect(readImageInfo(solidPng(300, 250, [1, 2, 3]))).toEqual({ type: 'image/png', width: 300, height: 250 });
    expect(readImageInfo(SAMPLE_HEADERS.gif())).toEqual({ type: 'image/gif', width: 300, height: 250 });
    expect(readImageInfo(SAMPLE_HEADERS.jpeg())).toEqual({ type: 'image/jpeg', width: 728, height: 90 });
    expect(readImageInfo(SAMPLE_HEADERS.webpVp8x())).toEqual({ type: 'image/webp', width: 300, height: 250 });
    const lossless = Buffer.alloc(30);
    lossless.write('RIFF', 0, 'latin1');
    lossless.write('WEBPVP8L', 8, 'latin1');
    lossless[20] = 0x2f;
    lossless.writeUInt32LE((728 - 1) | ((90 - 1) << 14), 21);
    expect(readImageInfo(lossless)).toEqual({ type: 'image/webp', width: 728, height: 90 });
  });

  it('refuses anything else: text, truncated headers, zero sizes', () => {
    expect(readImageInfo(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(readImageInfo(Buffer.from('GIF89a'))).toBeNull();
    expect(readImageInfo(Buffer.from([0xff, 0xd8, 0xff, 0xd9]))).toBeNull();
    expect(readImageInfo(solidPng(3, 3, [0, 0, 0]).subarray(0, 20))).toBeNull();
    expect(readImageInfo(Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(10)]))).toBeNull();
    expect(readImageInfo(Buffer.alloc(0))).toBeNull();
  });
});

describe('PNG writer', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('writes a valid PNG whose pixels decode back', () => {
    const png = demoBannerPng(60, 20, [255, 255, 255], [200, 0, 0], ['DEMO']);
    expect(readImageInfo(png)).toEqual({ type: 'image/png', width: 60, height: 20 });
    const idatLength = png.readUInt32BE(33);
    expect(png.toString('latin1', 37, 41)).toBe('IDAT');
    expect(png.readUInt32BE(41 + idatLength)).toBe(crc32(png.subarray(37, 41 + idatLength)));
    const raw = inflateSync(png.subarray(41, 41 + idatLength));
    expect(raw.length).toBe((60 * 3 + 1) * 20);
    expect([...raw.subarray(1, 4)]).toEqual([200, 0, 0]); // the frame colour in the top-left corner
  });
});
