import { createServer } from 'node:http';
import path from 'node:path';
import { DEFAULTS, warningLine, type DirsConfig } from '@signet/config';
import { buildSite, createCache, type BuildCache, type OutputFile } from '@signet/site';
import { countCacheWrites } from './cache-use.js';
import { createChangeLog } from './changes.js';
import { createHandler, type ServedSite } from './http.js';
import { createReloadHub, type ErrorReport } from './live-reload.js';
import { changeCount, updateOutput, type CopiedFiles, type OutputChanges, type ServedOutput, type SiteFiles } from './output.js';
import { listen } from './port.js';
import { errorLine, errorReport, rebuildLine } from './summary.js';
import { watchSite, type SiteWatcher } from './watch.js';

export interface DevServerOptions {
  /** The site folder (holding signet.config.yaml). */
  root: string;
  /** 4000 by default; 0 lets the system pick one. */
  port?: number;
  /** 127.0.0.1 by default, so the draft site is not on the network. */
  host?: string;
  drafts?: boolean;
  future?: boolean;
  /** Decides which posts are "future"; the time of each rebuild by default. */
  now?: Date;
  env?: Record<string, string | undefined>;
  /** Extra files to publish, as `signet build` does (the verification badge script). */
  extraFiles?: OutputFile[];
  /** How long to wait for more file events before rebuilding. */
  debounceMs?: number;
  /**
   * How long the site must be quiet after a rebuild that read only the files the watcher reported
   * before every file is read again, to catch a change the watcher missed. By default 1 s, or ten
   * times as long as reading every file took last time, so that on a large site the looks take at
   * most a tenth of the quiet time.
   */
  checkAfterMs?: number;
  /** False serves without watching: the files are read again when a page is loaded (and by `rebuild()`). */
  watch?: boolean;
  /** Terminal lines; stdout and stderr by default. */
  out?: (line: string) => void;
  err?: (line: string) => void;
}

/** What one build did. */
export interface RebuildReport {
  ok: boolean;
  /** Changed paths, relative to the site folder, that caused this build. */
  triggers: string[];
  changes: OutputChanges;
  error: ErrorReport | undefined;
  ms: number;
  /** Counts good builds that changed the output; the browser reloads when it moves. */
  version: number;
}

export interface DevServer {
  /** Where the site is served, base path included. */
  url: string;
  port: number;
  /** The last good build's files, output path → bytes (without the live-reload script). */
  files(): SiteFiles | undefined;
  /** The current build error, if the last build failed. */
  error(): ErrorReport | undefined;
  /** Resolves with the report of the next build that finishes. */
  nextBuild(): Promise<RebuildReport>;
  /** Rebuilds now, whether or not anything changed on disk. */
  rebuild(): RebuildReport;
  /** Stops watching, ends live-reload connections and closes the server. */
  close(): Promise<void>;
}

/**
 * `signet dev`: builds the site in memory, serves it over HTTP, watches its files and rebuilds with a
 * shared cache on every save. A failed build keeps the last good site up and shows the error in
 * the browser; the next good build clears it.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const root = path.resolve(options.root);
  const host = options.host ?? '127.0.0.1';
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = options.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  const cache: BuildCache = createCache();
  const cacheUse = countCacheWrites(cache);
  const copied: CopiedFiles = new Map();
  const served: ServedSite = { files: undefined, base: '/', version: 0 };
  let output: ServedOutput | undefined;
  let error: ErrorReport | undefined;
  let dirs: DirsConfig = { ...DEFAULTS.dirs };
  const changeLog = createChangeLog(root, () => dirs);
  let warnings = new Set<string>();
  let keyNoticeShown = false;
  const waiters: ((report: RebuildReport) => void)[] = [];
  // When the last build that read every file started (performance.now()), and how long it took.
  let lastFullRead = -Infinity;
  let fullReadMs = 0;
  const checkAfterMs = () => options.checkAfterMs ?? Math.max(1000, 10 * fullReadMs);

  const hub = createReloadHub(() => ({ version: served.version, error }));
  const server = createServer(createHandler(() => served, hub, () => onPage()));
  const port = await listen(server, options.port ?? 4000, host);

  /**
   * Builds with what the change log allows to skip. A check (`quiet`) says nothing and returns
   * nothing when it finds the site as it is served: it only looks for changes the watcher missed.
   */
  const build = (triggers: string[], quiet = false, label?: string): { report: RebuildReport | undefined; full: boolean } => {
    const first = buildOnce(triggers, quiet, label);
    // A file gone while a build that trusted the watcher read it: a folder renamed, say, whose events
    // have not all arrived. What is on disk is ahead of what was reported; read everything, once,
    // before saying anything.
    if (first.vanished) {
      changeLog.readAll();
      return buildOnce(triggers, quiet, label);
    }
    return first;
  };

  const buildOnce = (triggers: string[], quiet: boolean, label?: string): { report: RebuildReport | undefined; full: boolean; vanished?: boolean } => {
    const started = performance.now();
    // The first build renders everything; only later full reads tell what a look at every file costs.
    const warm = output !== undefined;
    const plan = changeLog.plan();
    if (plan.full) lastFullRead = started;
    cacheUse.begin();
    try {
      const result = buildSite({
        root, drafts: options.drafts, future: options.future, now: options.now ?? new Date(),
        env: options.env ?? process.env, cache, extraFiles: options.extraFiles,
        unchanged: plan.unchanged, listings: plan.listings,
        // The first build makes every image's copies, as `signet build` does (from the cache after
        // the first run); after that, a save never waits for an encode.
        deferImageCopies: warm,
      });
      if (result.imagesPending) whenImagesReady(result.imagesPending);
      const update = updateOutput(output, result.files, copied, plan.reported, !plan.full);
      changeLog.built(true);
      output = update.output;
      served.files = output.files;
      const { changes } = update;
      if (plan.full && warm) fullReadMs = performance.now() - started;
      const changed = changeCount(changes) > 0;
      const hadError = error !== undefined;
      served.base = new URL(result.config.url).pathname;
      dirs = result.config.dirs;
      if (quiet && !changed && !hadError) return { report: undefined, full: plan.full };
      error = undefined;
      if (changed) served.version += 1;
      const ms = performance.now() - started;
      const all = [...changes.added, ...changes.removed, ...changes.changed];
      if (changed && !hadError && all.every((file) => file.endsWith('.css'))) {
        hub.send({ type: 'css', version: served.version, paths: all.map((file) => served.base + file) });
      } else if (changed) hub.send({ type: 'reload', version: served.version });
      else if (hadError) hub.send({ type: 'clear' });
      const next = new Set(result.warnings.map(warningLine));
      for (const line of next) if (!warnings.has(line)) err(line);
      warnings = next;
      // Said once: later builds only repeat where the key came from.
      if (result.keyNotice && !keyNoticeShown) err(result.keyNotice);
      keyNoticeShown ||= result.keyNotice !== undefined;
      if (triggers.length > 0 || quiet || label) out(rebuildLine(triggers, changes, cacheUse.writes(), ms, label ?? (quiet ? 'files read again' : 'rebuild')));
      return { report: { ok: true, triggers, changes, error: undefined, ms, version: served.version }, full: plan.full };
    } catch (caught) {
      changeLog.built(false);
      if (!plan.full && (caught as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return { report: undefined, full: false, vanished: true };
      const ms = performance.now() - started;
      const report = errorReport(caught);
      if (quiet && report.text === error?.text) return { report: undefined, full: plan.full };
      error = report;
      hub.send({ type: 'build-error', error });
      err(errorLine(triggers, caught, ms, served.files !== undefined));
      return { report: { ok: false, triggers, changes: { added: [], removed: [], changed: [] }, error, ms, version: served.version }, full: plan.full };
    }
  };

  // A build that published images without their responsive copies (made in the background so that
  // no reload waits for encoding) is followed by one that swaps them in, once they are ready.
  const awaiting = new Set<Promise<void>>();
  let imagesReady = false;
  const whenImagesReady = (pending: Promise<void>) => {
    if (awaiting.has(pending)) return;
    awaiting.add(pending);
    void pending.then(() => {
      awaiting.delete(pending);
      if (closed) return;
      imagesReady = true;
      clearTimeout(timer);
      timer = setTimeout(runPending, options.debounceMs ?? 5);
    });
  };

  const initial = build([]).report!;
  if (initial.ok) out(`Built ${served.files?.size ?? 0} files in ${Math.round(initial.ms)} ms`);
  let watchedDirs = JSON.stringify([dirs.content, dirs.layouts, dirs.static]);

  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let checkTimer: NodeJS.Timeout | undefined;
  let closed = false;
  let watcher: SiteWatcher | undefined;
  const settle = (report: RebuildReport) => {
    for (const resolve of waiters.splice(0)) resolve(report);
    // A config that moves the content, layouts or static folder needs a watcher on the new folders.
    if (JSON.stringify([dirs.content, dirs.layouts, dirs.static]) !== watchedDirs && watcher && !closed) void restartWatcher();
  };
  const runPending = (): RebuildReport => {
    clearTimeout(timer);
    timer = undefined;
    clearTimeout(checkTimer);
    checkTimer = undefined;
    const triggers = [...pending].sort();
    pending = new Set();
    const label = imagesReady && triggers.length === 0 ? 'images encoded' : undefined;
    imagesReady = false;
    const { report, full } = build(triggers, false, label);
    settle(report!);
    // This build trusted the watcher: read everything once the site has been quiet for a while.
    if (!full && !closed) checkTimer = setTimeout(runCheck, checkAfterMs());
    return report!;
  };
  const runCheck = () => {
    checkTimer = undefined;
    // A build is due anyway; it plans its own check.
    if (closed || timer !== undefined) return;
    changeLog.readAll();
    const { report } = build([], true);
    if (report) settle(report);
  };
  // A page opened or reloaded by hand should show what is on disk, even a change the watcher missed.
  const onPage = () => {
    if (closed || timer !== undefined || checkTimer !== undefined) return;
    if (performance.now() - lastFullRead < checkAfterMs()) return;
    checkTimer = setTimeout(runCheck, PAGE_CHECK_MS);
  };
  const onChange = (event: string, relative: string) => {
    if (closed) return;
    changeLog.note(event, relative);
    pending.add(relative.split(path.sep).join('/'));
    clearTimeout(timer);
    timer = setTimeout(runPending, options.debounceMs ?? 5);
  };
  const onWatchError = (caught: unknown) => err(`watch error: ${caught instanceof Error ? caught.message : String(caught)}`);
  const restartWatcher = async () => {
    const old = watcher;
    watchedDirs = JSON.stringify([dirs.content, dirs.layouts, dirs.static]);
    watcher = await watchSite(root, dirs, onChange, onWatchError);
    await old?.close();
  };
  if (options.watch !== false) {
    try {
      watcher = await watchSite(root, dirs, onChange, onWatchError);
    } catch (caught) {
      server.close();
      throw caught;
    }
  }

  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}${served.base}`,
    port,
    files: () => served.files,
    error: () => error,
    nextBuild: () => new Promise((resolve) => waiters.push(resolve)),
    rebuild() {
      changeLog.readAll();
      return runPending();
    },
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      clearTimeout(checkTimer);
      await watcher?.close();
      hub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** How soon after a page is opened the files are read again, when that has not happened lately. */
const PAGE_CHECK_MS = 10;
