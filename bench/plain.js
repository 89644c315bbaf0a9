// The plain-JavaScript yardstick: full-batch gradient descent with momentum
// on a 14–H–1 tansig/logsig network, written the way one would by hand —
// Float64Array loops, sample by sample, no tricks.

export function plainForward(W1, b1, W2, b2, R, H, x, n) {
  const y = new Float64Array(n);
  const h = new Float64Array(H);
  for (let q = 0; q < n; q++) {
    for (let i = 0; i < H; i++) {
      let s = b1[i];
      for (let j = 0; j < R; j++) s += W1[i * R + j] * x[q * R + j];
      h[i] = 2 / (1 + Math.exp(-2 * s)) - 1;
    }
    let o = b2[0];
    for (let i = 0; i < H; i++) o += W2[i] * h[i];
    y[q] = 1 / (1 + Math.exp(-o));
  }
  return y;
}

/** A trainer for data (R inputs, one output); train(epochs) runs full-batch momentum steps. */
export function plainTrainer(params, R, H, data, lr = 0.01, mc = 0.9) {
  const P = params.length;
  const w = Float64Array.from(params);
  const v = new Float64Array(P);
  const g = new Float64Array(P);
  const h = new Float64Array(H);
  const b1 = H * R;
  const w2 = b1 + H;
  const b2 = w2 + H;
  const { inputs: x, targets: t, samples: n } = data;
  return function train(epochs) {
    for (let e = 0; e < epochs; e++) {
      g.fill(0);
      for (let q = 0; q < n; q++) {
        for (let i = 0; i < H; i++) {
          let s = w[b1 + i];
          for (let j = 0; j < R; j++) s += w[i * R + j] * x[q * R + j];
          h[i] = 2 / (1 + Math.exp(-2 * s)) - 1;
        }
        let o = w[b2];
        for (let i = 0; i < H; i++) o += w[w2 + i] * h[i];
        const y = 1 / (1 + Math.exp(-o));
        const d = ((2 * (t[q] - y)) / n) * y * (1 - y);
        g[b2] += d;
        for (let i = 0; i < H; i++) {
          g[w2 + i] += d * h[i];
          const di = d * w[w2 + i] * (1 - h[i] * h[i]);
          g[b1 + i] += di;
          for (let j = 0; j < R; j++) g[i * R + j] += di * x[q * R + j];
        }
      }
      for (let k = 0; k < P; k++) {
        v[k] = mc * v[k] + (1 - mc) * lr * g[k];
        w[k] += v[k];
      }
    }
    return w;
  };
}
