export { main, help, version, registerCommand } from './main.js';
export { processIo, EXIT, type Io } from './io.js';
