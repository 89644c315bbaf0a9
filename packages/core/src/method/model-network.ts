/**
 * The network of each model object, built once: rebuilding it from the
 * model's nested weight arrays cost a few microseconds per call, which a
 * stream of small batches pays thousands of times. Models are treated as
 * immutable once parsed (every reader returns a fresh object), and the
 * network is only read (forward passes, input gradients), never trained.
 */
import { modelToNetwork } from '../model/convert.js';
import type { Model } from '../model/schema.js';
import type { Network } from '../network/types.js';

const networks = new WeakMap<Model, Network>();

/** `modelToNetwork(model)`, cached per model object; do not modify the result. */
export function networkOf(model: Model): Network {
  let net = networks.get(model);
  if (net === undefined) {
    net = modelToNetwork(model);
    networks.set(model, net);
  }
  return net;
}
