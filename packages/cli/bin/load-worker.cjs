'use strict';
// Runs a worker thread's bundle (dist/bundle/…/<name>.bundle.js, made by scripts/bundle.mjs) as Node
// runs a CommonJS file, with the V8 code cache made when the command line was built, as load.js does
// for the command line itself. The signing worker's bundle is 1.3 MB: with the cache, starting it and
// signing a first batch takes ~55 ms less CPU (~190 → ~135 ms) on cores a build keeps busy. A cache
// V8 does not accept (another Node, other flags) is ignored: the bundle compiles as it would without
// one. Each worker script the bundle starts is a two-line file calling this.
const { readFileSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const path = require('node:path');
const vm = require('node:vm');
const { workerData } = require('node:worker_threads');

/** @param {string} file the worker's bundle, which holds Node's CommonJS wrapper (see bundle.mjs) */
module.exports = function loadWorker(file) {
  let cachedData;
  try {
    cachedData = readFileSync(`${file}.cache`);
  } catch {
    cachedData = undefined;
  }
  // ASCII (bundle.mjs escapes the rest): read as Latin-1, it is a one-byte string with no decoding.
  const script = new vm.Script(readFileSync(file, 'latin1'), { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, path.dirname(file));
  // Only bundle.mjs passes this port: once the worker has done jobs of each kind, it asks for the
  // cache of what V8 compiled, on a port of its own (the worker's messages are its jobs).
  const codeCache = workerData && workerData.codeCache;
  if (codeCache) {
    codeCache.port.once('message', () => {
      writeFileSync(`${file}.cache`, script.createCachedData());
      codeCache.port.postMessage('written');
    });
  }
};
