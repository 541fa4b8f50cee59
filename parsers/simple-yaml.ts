/**
 * Front matter that is only `key: word value` lines (`series: openxt`, `date: 2024-03-07`,
 * `title: Weekly call - 7 March`) read without the yaml package: most minutes with front
 * matter have nothing else, and yaml costs about 20 ms to load and a fraction of a millisecond
 * per call (a bulk import of thousands of files pays it for each). Anything else — quotes,
 * lists, numbers, booleans, comments, a colon or comma in a value, repeated keys — returns null
 * and goes to yaml, so the result is always what yaml gives (a test compares the two).
 */

/** `key: value` where the value is a plain scalar YAML 1.2 (core schema) reads as that same string. */
const LINE = /^([A-Za-z][A-Za-z0-9_-]*): +([A-Za-z][A-Za-z0-9_./-]*(?: [A-Za-z0-9_./-]+)*|\d{4}-\d{2}-\d{2})$/;
/** Plain words the core schema reads as booleans or null. */
const KEYWORD = /^(?:true|True|TRUE|false|False|FALSE|null|Null|NULL)$/;

/** The mapping of simple front matter, or null when yaml has to read it. */
export function readSimpleYaml(text: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const m = LINE.exec(line);
    if (!m || KEYWORD.test(m[2]!) || Object.hasOwn(out, m[1]!)) return null;
    out[m[1]!] = m[2]!;
  }
  return out;
}
