/** Test helper: minimal GIF, JPEG and WebP files (enough for magic bytes and size); PNGs come from catalog/demo-images. */
export const SAMPLE_HEADERS = {
  gif: () => Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.from([0x2c, 0x01, 0xfa, 0x00]), Buffer.alloc(20)]),
  jpeg: () =>
    Buffer.concat([
      Buffer.from([0xff, 0xd8]),
      Buffer.from([0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0', 'latin1'), Buffer.alloc(9),
      Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x5a, 0x02, 0xd8, 0x03]), Buffer.alloc(12),
      Buffer.from([0xff, 0xd9]),
    ]),
  webpVp8x: () => {
    const b = Buffer.alloc(40);
    b.write('RIFF', 0, 'latin1');
    b.writeUInt32LE(32, 4);
    b.write('WEBPVP8X', 8, 'latin1');
    b.writeUInt32LE(10, 16);
    b.writeUIntLE(299, 24, 3);
    b.writeUIntLE(249, 27, 3);
    return b;
  },
};

