// The package's API (`main`, `help`, `version`, `registerCommand`, `processIo`, `EXIT`), taken from the
// same bundle the `signet` command runs (see load.js).
import { loadBundle } from './load.js';

export const { main, help, version, registerCommand, processIo, EXIT } = loadBundle().exports;
