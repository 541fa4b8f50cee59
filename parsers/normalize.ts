export { foldName } from '../domain/names.js';
