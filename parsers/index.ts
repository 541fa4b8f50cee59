/** Public surface of the parser: pure functions from minutes text to ParsedMinutes. */
export { parseMinutes, decodeInput, MAX_INPUT_BYTES, ParseInputError, type ParseInputErrorCode } from './parse-minutes.js';
export { splitArchive, type ArchivePart } from './split-archive.js';
export { buildBlocks } from './blocks.js';
export type { BlockDocument, FrontMatter } from './block-document.js';
export { LARGE_INPUT_CHARS } from './line-blocks.js';
export { findDate } from './meeting-extractor.js';
export { foldName } from '../domain/names.js';
export type { Block, BlockKind } from './block-types.js';
export type * from './types.js';
