export { startDevServer, type DevServer, type DevServerOptions, type RebuildReport } from './server.js';
export { injectReloadScript, CLIENT_PATH, EVENTS_PATH, OVERLAY_ID } from './client.js';
export { contentType } from './http.js';
export { diffOutput, type OutputChanges, type SiteFiles } from './output.js';
export { findFreePort, listen } from './port.js';
export { isWatched } from './watch.js';
export type { ErrorReport } from './live-reload.js';
