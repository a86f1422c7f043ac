import path from 'node:path';
import { loadConfig, SignetError } from '@signet/config';
import { formatSummary, importTwitterArchive, renderProgressBar, TwitterImportError } from '@signet/import-twitter';
import { EXIT, parseFlags, text, UsageError, type Io } from '../io.js';
import { dateFlag } from '../date-flag.js';
import { COMMANDS, USAGE } from '../usage.js';

/** `signet import twitter <archive>`: tweets become notes in the site's content folder. */
export async function importCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(args, COMMANDS.import);
  const [platform, source, ...extra] = positionals;
  if (platform !== 'twitter') throw new UsageError(platform ? `cannot import from "${platform}"; only twitter is supported` : 'say what to import', { hint: USAGE.import });
  if (!source || extra.length > 0) throw new UsageError('give one archive: the .zip or the folder it was extracted to', { hint: USAGE.import });
  const config = loadConfig(path.resolve(io.cwd, text(values.root) ?? '.'));
  const since = dateFlag(values.since, '--since');
  const into = path.resolve(io.cwd, text(values.into) ?? path.join(config.root, config.dirs.content, 'notes'));
  let shown = -1;
  try {
    const summary = await importTwitterArchive({
      source: path.resolve(io.cwd, source),
      into,
      includeReplies: values['include-replies'] === true,
      includeRetweets: values['include-retweets'] === true,
      allowMissingMedia: values['allow-missing-media'] === true,
      since,
      onProgress: (done, total) => {
        if (io.progress) {
          io.progress(renderProgressBar(done, total));
          if (done === total) io.err('');
          return;
        }
        // Without a terminal, a line per quarter keeps logs short.
        const quarter = total === 0 ? 4 : Math.floor((done / total) * 4);
        if (quarter !== shown) {
          shown = quarter;
          io.err(renderProgressBar(done, total));
        }
      },
    });
    io.out(formatSummary(summary));
    io.out(`Notes are in ${path.relative(io.cwd, into) || '.'}; run \`signet build\` to publish them, signed.`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof TwitterImportError) throw new SignetError(error.message, { hint: 'Nothing was written.' });
    throw error;
  }
}
