/** Uploads over SFTP with the file mode set at creation (never world-readable in between). */
import type { Client, SFTPWrapper } from 'ssh2';

export function sftpUpload(
  client: Client,
  localPath: string,
  remotePath: string,
  mode: number,
  onProgress?: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    client.sftp((err: Error | undefined, sftp: SFTPWrapper) => {
      if (err) return reject(new Error(`SFTP is not available on the node: ${err.message}`));
      const onAbort = (): void => {
        sftp.end();
        reject(new Error('upload cancelled'));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      sftp.fastPut(localPath, remotePath, { mode, step: (done, _chunk, total) => onProgress?.(done, total) }, (e) => {
        signal?.removeEventListener('abort', onAbort);
        sftp.end();
        if (e) reject(new Error(`upload to ${remotePath} failed: ${e.message}`));
        else resolve();
      });
    });
  });
}
