// Sandboxed preload: exposes exactly one function. The renderer never sees ipcRenderer.
import { contextBridge, ipcRenderer } from 'electron';

contextBridge.exposeInMainWorld('daiban', {
  call: (method: string, input: unknown): Promise<unknown> => ipcRenderer.invoke('daiban:call', method, input),
});
