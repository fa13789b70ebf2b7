/** The impasto command's options: one table for parsing and for the usage text (defaults read from the engine). */
import { BACKENDS, computeThreads, DEFAULT_MAX_MEMORY, DEFAULT_OPTIONS, nodeHostMemory } from '@impasto/engine/node';
import { type OptionSpec, optionsUsage } from './terminal/command-line.js';

const fromEngine = (key: keyof typeof DEFAULT_OPTIONS) => () => String(DEFAULT_OPTIONS[key]);
const GIB = 1024 ** 3;

export const CLI_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'output',
    short: 'o',
    value: 'FILE',
    help: 'where to write the result (.png, .jpg, .jpeg, .webp)',
    default: 'required',
  },
  {
    name: 'size',
    short: 's',
    value: 'N',
    help: [
      'longest side of the output in pixels, up to 4096; a smaller content image is',
      'upsampled (said on stderr)',
    ],
    default: fromEngine('size'),
  },
  {
    name: 'iterations',
    short: 'i',
    value: 'N',
    help: ['the most optimiser iterations; a run ends sooner once its picture stops', 'changing (--tolerance)'],
    default: fromEngine('iterations'),
  },
  {
    name: 'tolerance',
    value: 'T',
    help: [
      'end once the loss falls by less than T (relative) over 10 iterations',
      '(at 512 px; 3T from 1024 px); 0: run every iteration',
    ],
    default: fromEngine('tolerance'),
  },
  { name: 'optimizer', value: 'NAME', help: 'lbfgs | adam', default: fromEngine('optimizer') },
  { name: 'content-weight', value: 'A', help: 'α, weight of the content loss', default: fromEngine('contentWeight') },
  {
    name: 'balance-size',
    value: 'N|off',
    help: [
      'α holds as given up to N px; a larger output scales it by (N/size)², keeping',
      "N px's balance of content and style (its look); off: α as given at every size",
    ],
    default: fromEngine('balanceSize'),
  },
  { name: 'style-weight', value: 'B', help: 'β, weight of the style loss', default: fromEngine('styleWeight') },
  { name: 'strength', value: 'S', help: 'style strength 0–100 as the hosts show it (50 = default β; +25 = β×10)' },
  { name: 'tv-weight', value: 'W', help: 'total-variation smoothing weight (0: off)', default: fromEngine('tvWeight') },
  { name: 'style-blend', value: 'W,W…', help: 'relative weight of each style image', default: 'equal' },
  { name: 'init', value: 'WHAT', help: 'noise | content | an image file', default: fromEngine('init') },
  { name: 'seed', value: 'N', help: 'seed of the noise initialisation', default: fromEngine('seed') },
  { name: 'pooling', value: 'KIND', help: 'avg | max', default: fromEngine('pooling') },
  {
    name: 'preset',
    value: 'NAME',
    help: 'layer set: paper (conv4_2; conv1_1…conv5_1) | shallow (conv3_2; conv1_1,conv2_1,conv3_1)',
  },
  { name: 'content-layers', value: 'L', help: 'comma-separated, e.g. conv4_2', default: 'paper' },
  {
    name: 'style-layers',
    value: 'L',
    help: 'comma-separated, e.g. conv1_1,conv2_1,conv3_1,conv4_1,conv5_1',
    default: 'paper',
  },
  { name: 'learning-rate', value: 'R', help: "Adam's step size in pixel units", default: fromEngine('learningRate') },
  {
    name: 'coarse-to-fine',
    value: 'M',
    help: [
      'auto | on | off: optimise small first, then upsample',
      '(auto: on from 2048 px; from 512 px when starting from noise)',
    ],
    default: fromEngine('coarseToFine'),
  },
  {
    name: 'scales',
    value: 'N|A,B,…',
    help: "coarse-to-fine stages: a count, or each stage's longest side ending at --size",
  },
  {
    name: 'stage-iterations',
    value: 'A,B,…',
    help: 'iterations of each stage (instead of --iterations split, halving per stage up)',
  },
  { name: 'keep-colors', help: "keep the content's colours (style in luminance only)" },
  { name: 'color-match', help: "give the style images the content's colour mean and covariance first" },
  {
    name: 'style-scale',
    value: 'S',
    help: "style image size as a multiple of the output's (texture size)",
    default: fromEngine('styleScale'),
  },
  {
    name: 'mask',
    value: 'FILE',
    multiple: true,
    help: [
      'where a style applies: white = here, black = not (drawn over the content image);',
      'once per style, in order; invert:FILE takes the inverse (e.g. the second style',
      'of two: --mask sky.png --mask invert:sky.png); a style without a mask goes everywhere',
    ],
  },
  {
    name: 'max-memory',
    value: 'SIZE',
    help: [
      "memory to stay within, e.g. 4G or 1500M: up to a quarter for L-BFGS's history",
      '(float32; fewer pairs at large sizes: 3 at 4096x3072 with 4G), and one loss',
      'evaluation what the optimiser leaves (above it, exact tiles)',
    ],
    default: () =>
      `a fifth of RAM, at least ${DEFAULT_MAX_MEMORY / GIB}G: ${(nodeHostMemory().bytes / GIB).toFixed(1)}G here`,
  },
  {
    name: 'tile-size',
    value: 'N',
    help: 'tiles of at most N px a side, margins included (experts; default: from --max-memory)',
  },
  {
    name: 'weights',
    short: 'w',
    value: 'DIR|URL',
    help: 'VGG19 weights (tfjs manifest)',
    default: '$IMPASTO_WEIGHTS, then models/vgg19',
  },
  {
    name: 'backend',
    value: 'NAME',
    help: [
      `auto | onnx | ${BACKENDS.join(' | ')}`,
      '(auto: ONNX Runtime when onnxruntime-node loads, else tfjs wasm, else cpu)',
    ],
    default: 'auto',
  },
  {
    name: 'threads',
    value: 'N',
    help: 'CPU threads for ONNX Runtime (tfjs-wasm in Node runs one)',
    default: () => `all cores: ${computeThreads()}`,
  },
  { name: 'save-every', value: 'N', help: 'also write <out>.iterNNNN.<ext> every N iterations' },
  {
    name: 'json',
    help: [
      'print one JSON line per iteration (0: the starting image) with every loss term,',
      'the evaluations so far and the stage and its size, then a result line with',
      'why the run stopped (stopReason: converged | iterations | cancelled) (stdout)',
    ],
  },
  { name: 'quiet', short: 'q', help: 'no progress bar' },
  { name: 'help', short: 'h', help: 'this text' },
];

export const USAGE = `Usage: impasto <content> <style> [<style>…] -o <out.png|jpg|webp> [options]

Neural style transfer (Gatys et al. 2015): paints <content> in the style of <style>.

Options:
${optionsUsage(CLI_OPTIONS)}
`;
