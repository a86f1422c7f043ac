import type { OutputFile } from '@signet/site';

/**
 * The in-page verification badge script, bundled by @signet/verify, published with every build.
 * Loaded only when a build runs, so other commands never load the verifier.
 */
export async function badgeFile(): Promise<OutputFile[]> {
  const { badgeScript } = await import('@signet/verify');
  const script = badgeScript();
  return [{ path: script.path, contents: script.contents }];
}
