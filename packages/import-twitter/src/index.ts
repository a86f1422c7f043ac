export { importTwitterArchive } from './import.js';
export type { ImportOptions, ImportSummary } from './import.js';
export { TwitterImportError } from './errors.js';
export { formatSummary, renderProgressBar } from './summary.js';
