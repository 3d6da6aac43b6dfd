/**
 * When a capture's import last committed: a row left `importing` by a process that was killed
 * is told apart from an import that is running (the console shows the first as interrupted).
 */
export const version = 2;
export const name = 'capture-heartbeat';

export const sql = `
ALTER TABLE captures ADD COLUMN updated_at INTEGER;
`;
