export { buildSite, type BuildOptions, type BuildResult } from './build.js';
export { buildSiteToDisk } from './to-disk.js';
export { createCache, type BuildCache } from './cache.js';
export { writeOutput, checkOutputDir, OUTPUTS_RECORD, type OutputFile } from './output.js';
export { toEnvelopeItem, signItem } from './envelope.js';
export { paginate, collectTags, type Listing, type Tag } from './listings.js';
export { writeSitemap, writeRobots, writeHeaders } from './seo.js';
export { siteUrls, type SiteUrls } from './urls.js';
export { plainImages } from './steps/images.js';
export { formatDate } from './view.js';

export { yieldHelperThreads } from './priority.js';
