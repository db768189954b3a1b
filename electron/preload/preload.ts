// The console window's preload (sandboxed, context-isolated): exposes the typed `window.engine`
// and nothing else — never ipcRenderer itself.
import { contextBridge, ipcRenderer } from 'electron';
import { createEngineApi } from './engine-api';

contextBridge.exposeInMainWorld(
  'engine',
  createEngineApi((channel, ...args) => ipcRenderer.invoke(channel, ...args)),
);
