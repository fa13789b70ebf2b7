// Browsers (bundled by esbuild): register tfjs-core's gradients without pulling in layers/converter/data.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
