/** Copies text; JSON for the clipboard escapes every suspicious character so a paste is inert too. */
export async function copyText(s: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(s);
    return true;
  } catch {
    return false;
  }
}

// JSON.stringify already escapes C0 controls inside strings; its own newlines are layout.
 
const UNSAFE = /[\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g;

export function safeJson(v: unknown, indent = 2): string {
  return JSON.stringify(v, null, indent).replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
