/**
 * Electron Forge: packages the console for Linux (deb, zip). The JavaScript is built by
 * electron/build.mjs (esbuild) before packaging; native modules (better-sqlite3, ssh2's optional
 * cpu-features) are rebuilt for Electron by Forge and unpacked from the asar archive. The
 * collector binary ships as an extra resource, next to its sha256.
 * Packaging needs Node >= 22 (Forge 8) and Electron's binary, i.e. a normal workstation.
 */
import type { ForgeConfig } from '@electron-forge/shared-types';
import { MakerDeb } from '@electron-forge/maker-deb';
import { MakerZIP } from '@electron-forge/maker-zip';
import { FusesPlugin } from '@electron-forge/plugin-fuses';
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import { execFileSync } from 'node:child_process';

const config: ForgeConfig = {
  packagerConfig: {
    name: 'Tracehound',
    executableName: 'tracehound',
    asar: { unpack: '**/*.node' },
    extraResource: ['agent-bpf/.output/bin', 'assets'],
    // Only what the app runs: the build, the native modules' packages, package.json.
    ignore: (path: string) =>
      path !== '' &&
      !/^\/(dist|node_modules|package\.json)(\/|$)/.test(path),
  },
  rebuildConfig: { onlyModules: ['better-sqlite3', 'cpu-features'] },
  hooks: {
    generateAssets: async () => {
      execFileSync(process.execPath, ['electron/build.mjs'], { stdio: 'inherit' });
      execFileSync('make', ['-C', 'agent-bpf'], { stdio: 'inherit' });
    },
  },
  makers: [
    new MakerZIP({}, ['linux']),
    new MakerDeb({
      options: {
        name: 'tracehound',
        productName: 'Tracehound',
        genericName: 'Investigation console',
        categories: ['System', 'Utility'],
        section: 'admin',
        homepage: 'https://tracehound.invalid/',
        bin: 'tracehound',
      },
    }),
  ],
  plugins: [
    new FusesPlugin({
      version: FuseVersion.V1,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
    }),
  ],
};

export default config;
