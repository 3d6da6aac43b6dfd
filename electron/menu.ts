import { dialog, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { Core } from './core/core';

/** File menu: open a capture (imported as a job with progress), connect, export, quit. */
export function buildMenu(win: BrowserWindow, core: Core): void {
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        {
          label: 'Open Capture…',
          accelerator: 'CmdOrCtrl+O',
          click: async () => {
            const r = await dialog.showOpenDialog(win, {
              title: 'Open capture',
              properties: ['openFile'],
              filters: [{ name: 'Tracehound captures', extensions: ['thc', 'gz', 'zst', 'jsonl'] }],
            });
            if (!r.canceled && r.filePaths[0]) await core.call('importCapture', { path: r.filePaths[0] });
          },
        },
        {
          label: 'Connect to Node…',
          accelerator: 'CmdOrCtrl+K',
          click: () => core.bus.emit('menuCommand', { view: 'start' }),
        },
        {
          label: 'Export Policy…',
          accelerator: 'CmdOrCtrl+E',
          click: () => core.bus.emit('menuCommand', { view: 'policies' }),
        },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { label: 'Edit', submenu: [{ role: 'copy' }, { role: 'selectAll' }] },
    { label: 'View', submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }] },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
