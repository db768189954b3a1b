// The desktop app's preload API as a global, for the renderer (included through ../common/**/*.ts).
// Optional on purpose: in a plain browser (headless `npm start`) there is no window.engine.
import type { EngineApi } from './ipc';

declare global {
  interface Window {
    readonly engine?: EngineApi;
  }
}

export {};
