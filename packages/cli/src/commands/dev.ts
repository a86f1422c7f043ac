import path from 'node:path';
import { requireConfigFile } from '@signet/config';
import { badgeFile } from '../badge.js';
import { EXIT, parseFlags, text, UsageError, untilStopped, type Io } from '../io.js';
import { COMMANDS, USAGE } from '../usage.js';


/** Serves the site with live reload until Ctrl-C. */
export async function dev(args: string[], io: Io): Promise<number> {
  const { values } = parseFlags(args, COMMANDS.dev);
  const portText = text(values.port) ?? '4000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${portText}"`, { hint: USAGE.dev });
  const root = path.resolve(io.cwd, text(values.root) ?? '.');
  // Outside a site folder there is nothing to serve or watch for: the error `signet build` gives.
  requireConfigFile(root);
  // Loaded here so other commands never pay for chokidar and the HTTP server.
  const { startDevServer } = await import('@signet/dev-server');
  const server = await startDevServer({
    root,
    port,
    host: text(values.host) ?? '127.0.0.1',
    drafts: values.drafts === true,
    future: values.future === true,
    env: io.env,
    extraFiles: await badgeFile(),
    out: io.out,
    err: io.err,
  });
  io.out(`Serving ${path.relative(io.cwd, root) || '.'} at ${server.url} (Ctrl-C to stop)`);
  await untilStopped();
  await server.close();
  io.out('Stopped.');
  return EXIT.ok;
}

