import { configureTfjsForNode } from '@impasto/engine/node';

configureTfjsForNode();
