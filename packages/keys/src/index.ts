export { readRegistry, writeRegistry, registryPath, REGISTRY_FILE, type KeyRegistry, type RegistryKey } from './registry.js';
export { readSecret, writeSecret, secretPath, decodeSecret, SECRETS_DIR } from './secrets.js';
export { resolveSigningKey, ENV_VAR, DEV_KEY_ID, type SigningKey } from './resolve.js';
export { generateKey, rotateKey, revokeKey, addKeyFromSecret, nextKeyId, type NewKey, type RevokeOptions } from './manage.js';
export { writeFileAtomic } from './fs.js';
