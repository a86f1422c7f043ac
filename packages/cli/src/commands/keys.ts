import path from 'node:path';
import { addKeyFromSecret, ENV_VAR, generateKey, readRegistry, revokeKey, rotateKey, REGISTRY_FILE, type NewKey } from '@signet/keys';
import { didYouMean, EXIT, parseFlags, text, UsageError, type Io } from '../io.js';
import { dateFlag } from '../date-flag.js';
import { readPipedInput } from '../stdin.js';
import { COMMANDS, USAGE } from '../usage.js';


function announce(key: NewKey, io: Io, root: string): void {
  io.out(`New signing key ${key.id} (public key ${key.publicKeyMultibase}).`);
  io.out(`Public registry: ${REGISTRY_FILE} (commit it). Secret: ${path.relative(root, key.secretFile)} (mode 0600, never committed).`);
  io.out('For CI, store this secret as the repository secret SIGNET_SIGNING_KEY. It is shown only this once:');
  io.out(`  ${key.secret}`);
}

const KEY_ACTIONS = ['generate', 'rotate', 'add', 'revoke', 'list'];

export async function keys(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(args, COMMANDS.keys);
  const root = path.resolve(io.cwd, text(values.root) ?? '.');
  const [action, id] = positionals;
  switch (action) {
    case 'generate':
      announce(generateKey(root), io, root);
      return EXIT.ok;
    case 'rotate': {
      const key = rotateKey(root);
      announce(key, io, root);
      io.out('Older keys stay listed so their posts keep verifying. Rebuild to sign with the new key.');
      return EXIT.ok;
    }
    case 'add': {
      // The secret comes from the environment or a pipe, never from an argument: arguments end up in
      // the shell's history and in the process list.
      const fromEnv = io.env[ENV_VAR]?.trim();
      const secret = fromEnv || (await readPipedInput())?.trim();
      if (!secret) throw new UsageError(`give the secret in ${ENV_VAR} or on standard input`, { hint: `${ENV_VAR}=z3u2… signet keys add   or   signet keys add < secret.txt` });
      const key = addKeyFromSecret(root, secret, fromEnv ? ENV_VAR : 'standard input');
      io.out(`Added key ${key.id} (public key ${key.publicKeyMultibase}) to ${REGISTRY_FILE} as the current key; commit it.`);
      io.out(`Its secret is kept in ${path.relative(root, key.secretFile)} (mode 0600, never committed). Rebuild to sign with it.`);
      return EXIT.ok;
    }
    case 'revoke': {
      if (!id) throw new UsageError('name the key to revoke', { hint: USAGE.keys });
      const at = dateFlag(values.at, '--at') ?? new Date();
      const before = readRegistry(root);
      const previous = before?.keys.find((k) => k.id === id)?.revoked;
      const after = revokeKey(root, id, at, { force: values.force === true });
      const revoked = after.keys.find((k) => k.id === id)!.revoked!;
      io.out(`Revoked ${id} from ${revoked}${previous ? ` (it was revoked from ${previous})` : ''}. Envelopes it signed from then on no longer verify. Rebuild to publish the change.`);
      if (before?.current === id) io.err(`warning: ${id} was the key in use: the next build has no key to sign with. Run \`signet keys rotate\` to make a new one.`);
      return EXIT.ok;
    }
    case 'list': {
      const registry = readRegistry(root);
      if (!registry) {
        io.out(`No ${REGISTRY_FILE}: builds use a development key. Run \`signet keys generate\`.`);
        return EXIT.ok;
      }
      for (const key of registry.keys) {
        io.out(`${key.id === registry.current ? '*' : ' '} ${key.id}  ${key.publicKeyMultibase}  created ${key.created}${key.revoked ? `  revoked ${key.revoked}` : ''}`);
      }
      return EXIT.ok;
    }
    default:
      throw new UsageError(action ? `unknown keys action "${action}"${didYouMean(action, KEY_ACTIONS)}` : 'say what to do with the keys', { hint: USAGE.keys });
  }
}
