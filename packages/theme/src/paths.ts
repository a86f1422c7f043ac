import { fileURLToPath } from 'node:url';

// Apart from the renderer, so that a build which only needs to know where the theme lies (to hash
// its files) does not load the template engine.

/** The theme's own layouts; a site's `layouts/` folder is searched first, so any of them can be replaced. */
export const THEME_LAYOUTS = fileURLToPath(new URL('../layouts/', import.meta.url));
/** The theme's stylesheet and other files every site gets. */
export const THEME_ASSETS = fileURLToPath(new URL('../assets/', import.meta.url));
