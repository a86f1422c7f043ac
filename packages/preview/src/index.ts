export { startPreview, type Preview, type PreviewOptions } from './server.js';
export { parseHeaders, headersFor, type HeaderRule } from './headers.js';
