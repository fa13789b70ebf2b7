/** Test support: every CLI test runs tfjs configured for Node, as the command does. */
import { configureTfjsForNode } from '@impasto/engine/node';

configureTfjsForNode();
