/**
 * The network's output and its gradient with respect to the inputs (not the
 * weights: that is what training uses), by backpropagating ∂y/∂n from the
 * output layer down to the input vector. One output only.
 */
import { transferDerivative, transferValue } from '../network/transfer.js';
import type { Network } from '../network/types.js';

/** y(x) and ∂y/∂x; the returned gradient array is reused by the next call. */
export type InputGradient = (x: ArrayLike<number>) => { y: number; gradient: Float64Array };

/**
 * An input-gradient function for `net` with its work buffers allocated once
 * (explanations call it hundreds of times per customer).
 */
export function createInputGradient(net: Network): InputGradient {
  const L = net.sizes.length;
  const fanIn = net.sizes.map((_, l) => (l === 0 ? net.inputs : net.sizes[l - 1]!));
  const offsets: number[] = [];
  let offset = 0;
  net.sizes.forEach((s, l) => {
    offsets.push(offset);
    offset += s * fanIn[l]! + s;
  });
  const outs = [new Float64Array(net.inputs), ...net.sizes.map((s) => new Float64Array(s))];
  const deltas = [new Float64Array(net.inputs), ...net.sizes.map((s) => new Float64Array(s))];
  const p = net.params;
  return (x) => {
    outs[0]!.set(x as ArrayLike<number>);
    for (let l = 0; l < L; l++) {
      const [s, r, w, a, next, f] = [net.sizes[l]!, fanIn[l]!, offsets[l]!, outs[l]!, outs[l + 1]!, net.transfers[l]!];
      for (let i = 0; i < s; i++) {
        let n = p[w + s * r + i]!;
        for (let j = 0; j < r; j++) n += p[w + i * r + j]! * a[j]!;
        next[i] = transferValue(f, n);
      }
    }
    // deltas[l + 1][i] = ∂y/∂n_i of layer l; deltas[0] = ∂y/∂x.
    deltas[L]![0] = transferDerivative(net.transfers[L - 1]!, outs[L]![0]!);
    for (let l = L - 1; l >= 0; l--) {
      const [s, r, w, delta, below] = [net.sizes[l]!, fanIn[l]!, offsets[l]!, deltas[l + 1]!, deltas[l]!];
      for (let j = 0; j < r; j++) {
        let sum = 0;
        for (let i = 0; i < s; i++) sum += p[w + i * r + j]! * delta[i]!;
        below[j] = l === 0 ? sum : sum * transferDerivative(net.transfers[l - 1]!, outs[l]![j]!);
      }
    }
    return { y: outs[L]![0]!, gradient: deltas[0]! };
  };
}

/** y(x) and ∂y/∂x for one input vector of a one-output network (a fresh gradient array). */
export function inputGradient(net: Network, x: ArrayLike<number>): { y: number; gradient: Float64Array } {
  const { y, gradient } = createInputGradient(net)(x);
  return { y, gradient: Float64Array.from(gradient) };
}
