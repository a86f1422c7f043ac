import { SignetError } from '@signet/config';
import { encodePublicMultikey, generateSeed, toUtcSeconds } from '@signet/sign';
import { nodePublicKey } from '@signet/sign/node';
import { readRegistry, REGISTRY_FILE, type KeyRegistry } from './registry.js';
import { decodeSecret, readSecret, secretPath, writeSecret } from './secrets.js';

export const ENV_VAR = 'SIGNET_SIGNING_KEY';
export const DEV_KEY_ID = 'dev-key';

/** The key a build signs with, and the public keys the site publishes in did.json. */
export interface SigningKey {
  id: string;
  seed: Uint8Array;
  publicKeyMultibase: string;
  /** Every key to list in did.json (old and revoked ones too, so old posts keep verifying). */
  registry: KeyRegistry;
  source: 'environment' | 'file' | 'development';
  /** A line for the terminal, when the user should know where the key came from. */
  notice: string | undefined;
}

/**
 * Finds the signing key: `SIGNET_SIGNING_KEY` first (for CI secrets), then the current key's secret
 * file. A site with no registry at all gets a development key, made once and kept in `.signet/`, so a
 * fresh clone still builds a signed site. A secret that the registry does not list, or lists as
 * revoked, is refused: it would produce posts nobody can verify.
 */
export function resolveSigningKey(root: string, env: Record<string, string | undefined> = process.env): SigningKey {
  const registry = readRegistry(root);
  const fromEnv = env[ENV_VAR]?.trim();
  if (fromEnv) {
    const seed = decodeSecret(fromEnv, ENV_VAR);
    const publicKeyMultibase = encodePublicMultikey(nodePublicKey(seed));
    if (!registry) {
      throw new SignetError(`${ENV_VAR} is set but the site has no ${REGISTRY_FILE}`, {
        hint: `Commit the ${REGISTRY_FILE} that \`signet keys generate\` wrote, so readers can find the public key.`,
      });
    }
    const key = registry.keys.find((k) => k.publicKeyMultibase === publicKeyMultibase);
    if (!key) {
      throw new SignetError(`the key in ${ENV_VAR} is not listed in ${REGISTRY_FILE}`, {
        file: REGISTRY_FILE,
        hint: `To sign with it, run \`signet keys add\` with the same ${ENV_VAR} set: it lists the key's public key (commit ${REGISTRY_FILE}). Or set the secret of the current key.`,
      });
    }
    if (key.revoked) {
      throw new SignetError(`the key in ${ENV_VAR} ("${key.id}") was revoked on ${key.revoked}`, {
        file: REGISTRY_FILE,
        hint: 'Make a new key with `signet keys rotate` and store its secret instead.',
      });
    }
    return { id: key.id, seed, publicKeyMultibase, registry, source: 'environment', notice: undefined };
  }
  if (registry) {
    const id = registry.current;
    const current = registry.keys.find((k) => k.id === id);
    if (!id || !current || current.revoked) {
      throw new SignetError(`${REGISTRY_FILE} has no current key that can sign`, {
        file: REGISTRY_FILE,
        hint: 'Run `signet keys rotate` to make a new current key.',
      });
    }
    const seed = readSecret(root, id);
    if (!seed) {
      throw new SignetError(`no secret key for "${id}": neither ${ENV_VAR} nor ${secretPath('.', id)} is set`, {
        hint: `Set ${ENV_VAR} to the secret printed by \`signet keys generate\`, or restore the key file.`,
      });
    }
    const publicKeyMultibase = encodePublicMultikey(nodePublicKey(seed));
    if (publicKeyMultibase !== current.publicKeyMultibase) {
      throw new SignetError(`the secret in ${secretPath('.', id)} does not belong to key "${id}" in ${REGISTRY_FILE}`, {
        hint: 'Restore the matching secret, or run `signet keys rotate` for a new key.',
      });
    }
    return { id, seed, publicKeyMultibase, registry, source: 'file', notice: undefined };
  }
  let seed = readSecret(root, DEV_KEY_ID);
  let made = false;
  if (!seed) {
    seed = generateSeed();
    writeSecret(root, DEV_KEY_ID, seed);
    made = true;
  }
  const publicKeyMultibase = encodePublicMultikey(nodePublicKey(seed));
  const devRegistry: KeyRegistry = {
    current: DEV_KEY_ID,
    keys: [{ id: DEV_KEY_ID, publicKeyMultibase, created: toUtcSeconds(new Date(0)) }],
  };
  return {
    id: DEV_KEY_ID,
    seed,
    publicKeyMultibase,
    registry: devRegistry,
    source: 'development',
    notice: `${made ? 'Made a development signing key' : 'Signed with the development key'} in ${secretPath('.', DEV_KEY_ID)} (kept out of dist/ and git). Run \`signet keys generate\` before publishing.`,
  };
}
