import type { OutputFile } from '@signet/site';

/**
 * The in-page verification badge script, bundled by @signet/verify. Optional at this layer so the
 * build still works if the bundle is missing; the site then simply shows no badge script.
 */
export async function badgeFile(): Promise<OutputFile[]> {
  try {
    const verify = (await import('@signet/verify')) as { badgeScript?: () => { path: string; contents: string } | undefined };
    const script = verify.badgeScript?.();
    return script ? [{ path: script.path, contents: script.contents }] : [];
  } catch {
    return [];
  }
}
