// Node: tfjs-core's ESM gradient registry cannot be imported by Node directly; the full package's CJS build
// registers every gradient against the same tfjs-core instance.
import '@tensorflow/tfjs';
