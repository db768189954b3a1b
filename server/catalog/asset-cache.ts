import type { AssetFile } from './asset-repo';

/** A least-recently-used cache of asset bytes, bounded by total size, so serving hits the store once per asset. */
export class AssetCache {
  private readonly entries = new Map<string, AssetFile>();
  private bytes = 0;

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  get(id: string): AssetFile | undefined {
    const file = this.entries.get(id);
    if (file) {
      this.entries.delete(id);
      this.entries.set(id, file);
    }
    return file;
  }

  set(id: string, file: AssetFile): void {
    if (file.bytes.length > this.maxBytes || this.entries.has(id)) return;
    this.entries.set(id, file);
    this.bytes += file.bytes.length;
    for (const [oldId, old] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldId);
      this.bytes -= old.bytes.length;
    }
  }
}
