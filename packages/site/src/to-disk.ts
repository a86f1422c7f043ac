import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, statSync, writeFileSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { loadConfig, type SiteConfig } from '@signet/config';
import { resolveSigningKey, type SigningKey } from '@signet/keys';
import { buildSiteUntil, type BuildOptions, type BuildResult, type PreviousOutput } from './build.js';
import { THEME_ASSETS, THEME_LAYOUTS } from '@signet/theme/paths';
import { CACHE_DIR, cacheStamp, makeCacheDir } from './disk-cache.js';
import { checkOutputDir, cleanUpAfterDeadBuilds, stageOutput } from './output.js';

const MANIFEST = 'output.json';

/** What the last build wrote, so the next one can tell that there is nothing to do. */
interface Manifest {
  inputs: string;
  /** The id of the build, which the cache it saved carries too. */
  build?: string;
  /** ms since 1970; JSON has no Infinity, so null stands for "for ever". */
  validUntil: number | null;
  outDir: string;
  /** Output path, size and modification time of every file written. */
  files: [string, number, number][];
  warnings: BuildResult['warnings'];
  stats: BuildResult['stats'];
}

/**
 * Every file under `dir`, sorted, by its path, size, inode and modification and change times to the
 * nanosecond; a missing folder is empty. As git's index does, a file is taken to be unchanged while
 * these are: any write moves its change time, which no tool can set back (restoring the modification
 * time, as `touch -d` or an archive does, moves it too). Reading every file's bytes instead took a
 * 4,000-post build 50 ms, before it read them all again to build.
 */
function hashTree(hash: ReturnType<typeof createHash>, label: string, dir: string): void {
  let items: Dirent[];
  try {
    items = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const item of items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(dir, item.name);
    if (item.isDirectory()) hashTree(hash, `${label}/${item.name}`, full);
    else if (item.isSymbolicLink() && !item.name.startsWith('.')) {
      // What a link leads to can change without any change here, and the build decides which links
      // it follows: a site with links is always built.
      hash.update(randomUUID());
    } else if (item.isFile()) {
      const stat = statSync(full, { bigint: true });
      hash.update(`${label}/${item.name}\0${stat.size}\0${stat.ino}\0${stat.mtimeNs}\0${stat.ctimeNs}\0`);
      // On a file system whose times are coarse (whole seconds or milliseconds: FAT, some network
      // shares), a file changed again within the same tick would look the same: a file changed that
      // recently makes this hash one no later build can match.
      if (stat.ctimeNs % 1_000_000n === 0n && Date.now() - Number(stat.ctimeNs / 1_000_000n) < 2_000) hash.update(randomUUID());
    }
  }
}

/**
 * A hash of everything a build reads: the config, every file of content, static and layouts, the
 * theme's layouts and assets, the signing keys, the extra files, the options and the package stamp.
 */
function inputsHash(config: SiteConfig, key: SigningKey, options: BuildOptions, outDir: string): string {
  const hash = createHash('sha256');
  hash.update(`${cacheStamp()}\0${JSON.stringify(config)}\0${outDir}\0${options.drafts === true}\0${options.future === true}\0`);
  hash.update(`${key.source}\0${key.id}\0${key.publicKeyMultibase}\0${JSON.stringify(key.registry)}\0`);
  for (const file of options.extraFiles ?? []) {
    hash.update(`extra/${file.path}\0`).update('from' in file ? readFileSync(file.from) : file.contents).update('\0');
  }
  for (const dir of [config.dirs.content, config.dirs.static, config.dirs.layouts]) hashTree(hash, dir, path.join(config.root, dir));
  // The follow list and what `signet fetch` stored: the network pages, and what posts reply to, are
  // made from them. A site that uses neither pays a failed stat and a failed readdir.
  for (const name of ['following.opml', 'mute.txt']) {
    try {
      const stat = statSync(path.join(config.root, name), { bigint: true });
      hash.update(`${name}\0${stat.size}\0${stat.ino}\0${stat.mtimeNs}\0${stat.ctimeNs}\0`);
    } catch {
      hash.update(`${name}\0none\0`);
    }
  }
  hashTree(hash, '.signet/network', path.join(config.root, '.signet', 'network'));
  hashTree(hash, 'theme/layouts', THEME_LAYOUTS);
  hashTree(hash, 'theme/assets', THEME_ASSETS);
  return hash.digest('base64');
}

function readManifest(root: string): Manifest | undefined {
  try {
    const manifest = JSON.parse(readFileSync(path.join(root, CACHE_DIR, MANIFEST), 'utf8')) as Manifest;
    return typeof manifest.inputs === 'string' && Array.isArray(manifest.files) ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/** True when `outDir` holds exactly the files the manifest lists, none touched since they were written. */
function outputIntact(outDir: string, files: Manifest['files']): boolean {
  try {
    const present = readdirSync(outDir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).length;
    if (present !== files.length) return false;
    return files.every(([file, size, mtime]) => asWritten(path.join(outDir, file), size, mtime));
  } catch {
    return false;
  }
}

/** Whether `file` is still the file of this size and modification time that a build wrote. */
function asWritten(file: string, size: number, mtime: number): boolean {
  const stat = statSync(file, { throwIfNoEntry: false });
  return stat !== undefined && stat.isFile() && stat.size === size && stat.mtimeMs === mtime;
}

/**
 * The files the last build wrote into `outDir`, each offered for reuse only while its size and
 * modification time are those the manifest recorded: a file changed by hand is made again.
 */
function previousOutput(last: Manifest, outDir: string): PreviousOutput | undefined {
  if (last.build === undefined || last.outDir !== outDir) return undefined;
  const written = new Map(last.files.map(([file, size, mtime]) => [file, [size, mtime] as const]));
  return {
    build: last.build,
    file(outputPath) {
      const expected = written.get(outputPath);
      const file = path.join(outDir, outputPath);
      return expected && asWritten(file, expected[0], expected[1]) ? file : undefined;
    },
  };
}

function saveManifest(root: string, manifest: Manifest): void {
  const file = path.join(root, CACHE_DIR, MANIFEST);
  try {
    makeCacheDir(root);
    writeFileSync(`${file}.tmp`, JSON.stringify(manifest));
    renameSync(`${file}.tmp`, file);
  } catch {
    // Without a manifest the next build simply builds again.
  }
}

/**
 * Builds and writes atomically to the output folder. A failed build leaves the old output untouched.
 * When every input is as it was for the last build and its output is still exactly in place, nothing
 * is built or written: the result lists the files already there.
 */
export function buildSiteToDisk(options: BuildOptions): BuildResult & { outDir: string } {
  const started = performance.now();
  const config = loadConfig(options.root);
  const outDir = path.resolve(config.root, options.outDir ?? config.dirs.out);
  checkOutputDir(outDir, config.root, [config.dirs.content, config.dirs.layouts, config.dirs.static].map((d) => path.join(config.root, d)));
  // Before anything else: a build killed between its two renames left the previous output aside.
  cleanUpAfterDeadBuilds(outDir, config.root);
  const useDisk = options.diskCache ?? options.cache === undefined;
  const key = useDisk ? resolveSigningKey(config.root, options.env ?? process.env) : undefined;
  const inputs = key ? inputsHash(config, key, options, outDir) : '';
  const hashed = performance.now();
  const last = key ? readManifest(config.root) : undefined;
  if (key) {
    const now = (options.now ?? new Date()).getTime();
    if (last && last.inputs === inputs && last.outDir === outDir && now < (last.validUntil ?? Infinity) && outputIntact(outDir, last.files)) {
      return {
        files: last.files.map(([file]) => ({ path: file, from: path.join(outDir, file) })),
        config,
        warnings: last.warnings,
        keyNotice: key.notice,
        // Nothing was made: no image was encoded either.
        stats: { ...last.stats, ...(last.stats.images ? { images: { ...last.stats.images, encoded: 0 } } : {}), steps: [{ name: 'unchanged', ms: performance.now() - started }] },
        outDir,
      };
    }
  }
  // Each file is written as soon as it is made, so a large site is never held in memory whole.
  const staged = stageOutput(outDir, config.root);
  let built: ReturnType<typeof buildSiteUntil>;
  try {
    built = buildSiteUntil(options, { config, key, out: staged, previous: last && previousOutput(last, outDir) });
  } catch (error) {
    staged.abort();
    throw error;
  }
  const committing = performance.now();
  staged.commit();
  const { result, validUntil, build } = built;
  // What the build's own steps do not show: reading the inputs' times before, and waiting for the
  // writer to finish and moving the folder into place after.
  result.stats.steps.unshift({ name: 'inputs', ms: hashed - started });
  result.stats.steps.push({ name: 'write', ms: performance.now() - committing });
  const files = staged.paths.map((file) => ({ path: file, from: path.join(outDir, file) }));
  if (key) {
    saveManifest(config.root, { inputs, build, validUntil: Number.isFinite(validUntil) ? validUntil : null, outDir, files: staged.written(), warnings: result.warnings, stats: result.stats });
  }
  return { ...result, files, outDir };
}
