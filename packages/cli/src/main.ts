import { readFileSync } from 'node:fs';
import { formatError, isSignetError } from '@signet/config';
import { didYouMean, EXIT, processIo, UsageError, type Io } from './io.js';
import { commandHelp, COMMANDS, type CommandHelp } from './usage.js';

type Command = (args: string[], io: Io) => Promise<number>;

interface CommandInfo extends CommandHelp {
  run: () => Promise<Command>;
}

/**
 * Each command's module, and the packages behind it, load only when that command runs: `signet --help`
 * stays instant, and `signet verify` never loads the Markdown pipeline.
 */
const commands: Record<string, CommandInfo> = {
  init: { run: async () => (await import('./commands/init.js')).init, ...COMMANDS.init },
  build: { run: async () => (await import('./commands/build.js')).build, ...COMMANDS.build },
  dev: { run: async () => (await import('./commands/dev.js')).dev, ...COMMANDS.dev },
  preview: { run: async () => (await import('./commands/preview.js')).preview, ...COMMANDS.preview },
  new: { run: async () => (await import('./commands/new.js')).newPost, ...COMMANDS.new },
  keys: { run: async () => (await import('./commands/keys.js')).keys, ...COMMANDS.keys },
  import: { run: async () => (await import('./commands/import.js')).importCommand, ...COMMANDS.import },
  verify: { run: async () => (await import('./commands/verify.js')).verify, ...COMMANDS.verify },
  follow: { run: async () => (await import('./commands/follow.js')).follow, ...COMMANDS.follow },
  unfollow: { run: async () => (await import('./commands/unfollow.js')).unfollow, ...COMMANDS.unfollow },
  following: { run: async () => (await import('./commands/following.js')).following, ...COMMANDS.following },
  fetch: { run: async () => (await import('./commands/fetch.js')).fetchCommand, ...COMMANDS.fetch },
  reply: { run: async () => (await import('./commands/reply.js')).reply, ...COMMANDS.reply },
  email: { run: async () => (await import('./commands/email.js')).email, ...COMMANDS.email },
  webmention: { run: async () => (await import('./commands/webmention.js')).webmention, ...COMMANDS.webmention },
};

export function registerCommand(name: string, info: CommandInfo): void {
  commands[name] = info;
}

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function help(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  return [
    'Signet: a static site generator that signs every post with your domain\'s key.',
    '',
    'Usage: signet <command> [options]',
    '',
    ...Object.entries(commands).map(([name, info]) => `  ${name.padEnd(width)}  ${info.summary}\n  ${' '.repeat(width)}  ${info.usage}`),
    '',
    '  --help, -h     Show this help',
    '  --version, -v  Show the version',
  ].join('\n');
}

/** Runs the CLI and returns the exit code. Errors are printed as `file:line: message` with a hint. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.out(version());
    return EXIT.ok;
  }
  const command = commands[name];
  if (!command) {
    io.err(`signet: unknown command "${name}"${didYouMean(name, Object.keys(commands))}\n  Run \`signet --help\` to see every command.`);
    return EXIT.usage;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.out(commandHelp(command));
    return EXIT.ok;
  }
  try {
    return await (await command.run())(args, io);
  } catch (error) {
    io.err(`error: ${formatError(error)}`);
    if (error instanceof UsageError) return EXIT.usage;
    return isSignetError(error) ? EXIT.failed : EXIT.failed;
  }
}
