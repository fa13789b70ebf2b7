/** @impasto/cli/terminal: what every Impasto command line shares (the models scripts too): argv and progress. */
export { type OptionSpec, type OptionValues, optionsUsage, parseCommandLine } from './command-line.js';
export { barCells, createDownloadBar, createStatusLine, type StatusLine, type StatusStream } from './status-line.js';
