export { renderMarkdown, type RenderOptions, type RenderedMarkdown } from './render.js';
export { absolutizeTree } from './urls.js';
export { getProcessor } from './pipeline.js';
export { parseMarkdown } from './parse.js';
export { countWords, type Heading } from './extras.js';
