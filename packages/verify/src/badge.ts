import { BADGE_BUNDLE } from '../dist/badge-bundle.js'

/**
 * The in-page badge: one self-contained ES module (bundled when this package is built) that checks
 * the page's own envelope against the site's did.json and marks `[data-signet-badge]`.
 */
export function badgeScript(): { path: 'assets/signet-badge.js'; contents: string } {
  return { path: 'assets/signet-badge.js', contents: BADGE_BUNDLE }
}
