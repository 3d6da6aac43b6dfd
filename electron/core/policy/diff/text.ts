/** Textual unified diff of two rendered documents (JSON or YAML), as `diff -u` prints it. */
import { createTwoFilesPatch } from 'diff';

export function unifiedDiff(aName: string, aText: string, bName: string, bText: string): string {
  if (aText === bText) return '';
  return createTwoFilesPatch(aName, bName, aText, bText, '', '', { context: 3 });
}
