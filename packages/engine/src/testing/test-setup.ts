import '../backends/node.js';
import { useInstalledWasmBinaries } from '../node/wasm-paths.js';

useInstalledWasmBinaries();
