'use strict';
// Runs a bundle made by scripts/bundle.mjs (the command line's, dist/bundle/signet.cjs, through
// load.js, and each worker thread's, dist/bundle/…/<name>.bundle.js, through a two-line script beside
// it) as Node runs a CommonJS file, with the V8 code cache made when the command line was built: V8
// then neither parses the bundle nor compiles again the functions a build runs. The command line's
// bundle is 1.7 MB (about 30 ms of a 1 s build), the signing worker's 1.3 MB (starting it and signing
// a first batch ~190 → ~135 ms of CPU on cores a build keeps busy). A cache V8 does not accept
// (another Node version, other V8 flags) is ignored, and the bundle compiles as it would without one.
// CommonJS, so that a worker's script can require it.
const { readFileSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const path = require('node:path');
const vm = require('node:vm');
const { workerData } = require('node:worker_threads');

/**
 * Runs `file` (which holds Node's CommonJS wrapper, see bundle.mjs) with the cache `${file}.cache`,
 * and returns its exports and the script (for its cache).
 * @param {string} file
 */
function runScript(file, { useCache = true } = {}) {
  let cachedData;
  if (useCache) {
    try {
      cachedData = readFileSync(`${file}.cache`);
    } catch {
      cachedData = undefined;
    }
  }
  // ASCII (bundle.mjs escapes the rest): read as Latin-1, it is a one-byte string with no pass to
  // decode UTF-8.
  const script = new vm.Script(readFileSync(file, 'latin1'), { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, path.dirname(file));
  return { exports: module.exports, script };
}

/** Runs a worker thread's bundle; see `runScript`. @param {string} file */
function loadWorker(file) {
  const { script } = runScript(file);
  // Only bundle.mjs passes this port: once the worker has done its jobs, it asks for the cache of
  // what V8 compiled, on a port of its own (the worker's messages are its jobs).
  const codeCache = workerData && workerData.codeCache;
  if (codeCache) {
    codeCache.port.once('message', () => {
      writeFileSync(`${file}.cache`, script.createCachedData());
      codeCache.port.postMessage('written');
    });
  }
}

module.exports = { runScript, loadWorker };
