export type { Entry, EntryKind, Asset, ContentSet, Warning } from './entry.js';
export { parseFrontMatter, type FrontMatter } from './front-matter.js';
export { parseDate, parseTags, tagIdentity, tagSlug } from './fields.js';
export { safeUrlPath, outputPathOf, fillPermalink } from './url.js';
export type { LinkRules } from './links.js';
export { loadContent, readEntry, walkFiles, comparePosts, checkUniqueOutputs, assetsOf, type LoadOptions, type EntryCache, type EntryResult } from './load.js';
