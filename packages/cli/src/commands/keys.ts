import path from 'node:path';
import { generateKey, readRegistry, revokeKey, rotateKey, REGISTRY_FILE, type NewKey } from '@signet/keys';
import { EXIT, parseFlags, text, UsageError, type Io } from '../io.js';
import { dateFlag } from '../date-flag.js';
import { USAGE } from '../usage.js';


function announce(key: NewKey, io: Io, root: string): void {
  io.out(`New signing key ${key.id} (public key ${key.publicKeyMultibase}).`);
  io.out(`Public registry: ${REGISTRY_FILE} (commit it). Secret: ${path.relative(root, key.secretFile)} (mode 0600, never committed).`);
  io.out('For CI, store this secret as the repository secret SIGNET_SIGNING_KEY. It is shown only this once:');
  io.out(`  ${key.secret}`);
}

export async function keys(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(args, { root: { type: 'string' }, at: { type: 'string' } }, USAGE.keys);
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
    case 'revoke': {
      if (!id) throw new UsageError('name the key to revoke', { hint: USAGE.keys });
      const at = dateFlag(values.at, '--at') ?? new Date();
      revokeKey(root, id, at);
      io.out(`Revoked ${id} from ${at.toISOString()}. Envelopes it signed from then on no longer verify. Rebuild to publish the change.`);
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
      throw new UsageError(action ? `unknown keys action "${action}"` : 'say what to do with the keys', { hint: USAGE.keys });
  }
}
