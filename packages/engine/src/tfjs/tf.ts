/** The one place the engine gets TensorFlow.js from, with every gradient registered. */
import '#tf-gradients';

export * as tf from '@tensorflow/tfjs-core';
