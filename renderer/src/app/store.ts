import { create } from 'zustand';

export type View = 'start' | 'overview' | 'processes' | 'timeline' | 'events' | 'network' | 'policies';
export type Theme = 'dark' | 'light';

interface UiState {
  view: View;
  theme: Theme;
  setView(v: View): void;
  toggleTheme(): void;
}

const initialTheme = (): Theme => (localStorage.getItem('tracehound.theme') === 'light' ? 'light' : 'dark');

export const useUi = create<UiState>((set) => ({
  view: 'overview',
  theme: initialTheme(),
  setView: (view) => set({ view }),
  toggleTheme: () =>
    set((s) => {
      const theme = s.theme === 'dark' ? 'light' : 'dark';
      localStorage.setItem('tracehound.theme', theme);
      return { theme };
    }),
}));
