// The setup page's preload (sandboxed, context-isolated): exposes `window.ceSetup` with the
// Setup:* channels only — never ipcRenderer, never the console's channels.
import { contextBridge, ipcRenderer } from 'electron';
import { createSetupApi } from './setup-api';

contextBridge.exposeInMainWorld(
  'ceSetup',
  createSetupApi((channel, ...args) => ipcRenderer.invoke(channel, ...args)),
);
