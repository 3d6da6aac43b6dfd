import { app, screen, type BrowserWindow } from 'electron';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface State {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized?: boolean;
}

const file = () => join(app.getPath('userData'), 'window-state.json');

/** The last window bounds, if they still fit on a connected display. */
export function restoreWindowState(): State {
  const fallback: State = { width: 1440, height: 900 };
  try {
    const s = JSON.parse(readFileSync(file(), 'utf8')) as State;
    if (!Number.isInteger(s.width) || !Number.isInteger(s.height)) return fallback;
    const visible = screen.getAllDisplays().some((d) => {
      const b = d.workArea;
      return s.x !== undefined && s.y !== undefined && s.x >= b.x - 50 && s.y >= b.y - 50 && s.x < b.x + b.width && s.y < b.y + b.height;
    });
    return visible ? s : { width: s.width, height: s.height };
  } catch {
    return fallback;
  }
}

export function trackWindowState(win: BrowserWindow): void {
  const save = () => {
    if (win.isDestroyed()) return;
    const b = win.getNormalBounds();
    try {
      writeFileSync(file(), JSON.stringify({ ...b, maximized: win.isMaximized() }));
    } catch {
      // window state is a convenience; never fail on it
    }
  };
  win.on('close', save);
  const s = restoreWindowState();
  if (s.maximized) win.maximize();
}
