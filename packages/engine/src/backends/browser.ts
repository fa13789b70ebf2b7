/** Every backend a browser host may choose from (webgpu → webgl → wasm → cpu). A host that needs fewer imports those. */
import './webgpu.js';
import './webgl.js';
import './wasm.js';
import './cpu.js';
