/**
 * The bridge: a typed allowlist. Each API method of the contract is exposed by name, its channel
 * is `api:<method>`; pushed events arrive on one channel and are filtered by name. Nothing else
 * of Electron or Node crosses into the page.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { METHOD_NAMES, PUSH_NAMES, type PreloadBridge, type PushName } from '../shared/api';

const api = Object.fromEntries(
  METHOD_NAMES.map((m) => [m, (args: unknown) => ipcRenderer.invoke(`api:${m}`, args)]),
) as PreloadBridge['api'];

const bridge: PreloadBridge = {
  api,
  on(name, listener, signal) {
    if (!PUSH_NAMES.includes(name as PushName)) throw new Error(`unknown push event ${String(name)}`);
    const wrapped = (_e: IpcRendererEvent, pushed: unknown, payload: unknown) => {
      if (pushed === name) (listener as (p: unknown) => void)(payload);
    };
    ipcRenderer.on('push', wrapped);
    signal?.addEventListener('abort', () => ipcRenderer.off('push', wrapped), { once: true });
  },
  pathForFile: (file) => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('tracehound', bridge);
