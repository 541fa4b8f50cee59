/**
 * Folds a name for comparison: lower case, accents removed, punctuation and runs of space
 * collapsed. "José  O'Neil" -> "jose oneil". Used by the parser to match first names and by
 * the people directory for case- and accent-insensitive lookups.
 */
export function foldName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['’`.]/g, '')
    .replace(/[^\p{L}\p{N}@]+/gu, ' ')
    .trim();
}
