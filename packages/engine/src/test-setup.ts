import { useInstalledWasmBinaries } from './node/wasm-paths.js';

useInstalledWasmBinaries();
