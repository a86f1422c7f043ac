export { createRenderer, themeAssets, THEME_LAYOUTS, THEME_ASSETS, type Renderer } from './renderer.js';
