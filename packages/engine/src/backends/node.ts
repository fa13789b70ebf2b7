/** The tfjs backends Node runs without extra set-up (ONNX Runtime, the faster Node path, is separate: onnx/). */
import './wasm.js';
import './cpu.js';
