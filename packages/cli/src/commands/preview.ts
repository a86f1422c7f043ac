import path from 'node:path';
import { requireConfigFile } from '@signet/config';
import { EXIT, parseFlags, text, UsageError, untilStopped, type Io } from '../io.js';
import { COMMANDS, USAGE } from '../usage.js';

/** Serves the built site, as a static host would, until Ctrl-C. */
export async function preview(args: string[], io: Io): Promise<number> {
  const { values } = parseFlags(args, COMMANDS.preview);
  const portText = text(values.port) ?? '4173';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${portText}"`, { hint: USAGE.preview });
  const root = path.resolve(io.cwd, text(values.root) ?? '.');
  requireConfigFile(root);
  const { startPreview } = await import('@signet/preview');
  const server = await startPreview({ root, port, host: text(values.host) ?? '127.0.0.1' });
  io.out(`Serving the built site at ${server.url} as a static host would (Ctrl-C to stop)`);
  await untilStopped();
  await server.close();
  io.out('Stopped.');
  return EXIT.ok;
}
