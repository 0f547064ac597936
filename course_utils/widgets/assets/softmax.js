// The explorers' numbers, computed in the browser at every frame of a drag. NumPy stays the
// reference: tests/browser compares these with course_utils.softmax / softmax_jacobian and
// the readouts of course_utils.widgets.readouts, within the printed precision.
// Same operations in the same order as course_utils: (x - max(x)) / T, exp, / sum.

export const OVERFLOW_POINTS = { float32: Math.log(3.4028234663852886e38), float64: Math.log(Number.MAX_VALUE) };
const RELATIVE_TOLERANCE = 1e-12;
const EPS = 2.220446049250313e-16;
const SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉";

export function classLabels(size, symbol = "σ") {
  return Array.from({ length: size }, (_, k) => symbol + String(k + 1).replace(/\d/g, (d) => SUBSCRIPTS[d]));
}

export function softmax(logits, temperature = 1) {
  const largest = Math.max(...logits);
  const exps = logits.map((x) => Math.exp(temperature === 1 ? x - largest : (x - largest) / temperature));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

export function logSoftmax(logits) {
  const largest = Math.max(...logits);
  const shifted = logits.map((x) => x - largest);
  const logSum = Math.log(shifted.reduce((a, b) => a + Math.exp(b), 0));
  return shifted.map((s) => s - logSum);
}

export function jacobian(probs, temperature = 1) {
  return probs.map((p, i) => probs.map((q, j) => {
    const entry = (i === j ? p : 0) - p * q;
    return temperature === 1 ? entry : entry / temperature;
  }));
}

// Eigenvalues of a symmetric matrix (cyclic Jacobi rotations), ascending.
export function symmetricEigenvalues(matrix) {
  const n = matrix.length;
  const a = matrix.map((row) => row.slice());
  for (let sweep = 0; sweep < 60; sweep += 1) {
    let off = 0;
    for (let p = 0; p < n; p += 1) for (let q = p + 1; q < n; q += 1) off += a[p][q] ** 2;
    if (off < 1e-300) break;
    for (let p = 0; p < n; p += 1) {
      for (let q = p + 1; q < n; q += 1) {
        if (a[p][q] === 0) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k += 1) {
          const akp = a[k][p];
          const akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k += 1) {
          const apk = a[p][k];
          const aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
      }
    }
  }
  return a.map((row, k) => row[k]).sort((x, y) => x - y);
}

// The facts course_utils.jacobian.jacobian_properties checks, with the same tolerances.
export function jacobianProperties(matrix, temperature = 1) {
  const n = matrix.length;
  const flat = matrix.flat();
  const scale = Math.max(1 / temperature, ...flat.map(Math.abs));
  const tolerance = RELATIVE_TOLERANCE * scale;
  let asymmetry = 0;
  for (let i = 0; i < n; i += 1) for (let j = 0; j < n; j += 1) {
    asymmetry = Math.max(asymmetry, Math.abs(matrix[i][j] - matrix[j][i]));
  }
  const rowSums = matrix.map((row) => row.reduce((a, b) => a + b, 0));
  const rankTolerance = 4 * n * EPS * scale;
  const eigenvalues = symmetricEigenvalues(matrix);
  const largestDiagonal = Math.max(...matrix.map((row, k) => row[k]));
  const diagonalBound = 1 / (4 * temperature);
  return {
    symmetric: asymmetry <= tolerance,
    asymmetry,
    rowSums,
    rowsSumToZero: Math.max(...rowSums.map(Math.abs)) <= tolerance * n,
    eigenvalues,
    rank: eigenvalues.filter((value) => Math.abs(value) > rankTolerance).length,
    tolerance: rankTolerance,
    largestDiagonal,
    diagonalBound,
    diagonalWithinBound: largestDiagonal <= diagonalBound * (1 + RELATIVE_TOLERANCE),
  };
}

// exp(x) / sum(exp(x)) as textbooks write it, in float64 or (rounded at each step) float32.
export function naiveSoftmax(logits, dtype = "float64") {
  const round = dtype === "float32" ? Math.fround : (v) => v;
  const values = logits.map(round);
  const exps = values.map((v) => round(Math.exp(v)));
  let total = 0;
  for (const e of exps) total = round(total + e);
  const probs = exps.map((e) => round(e / total));
  if (Number.isFinite(total) && total > 0) return { probs, problem: null };
  const largest = Math.max(...values);
  if (!Number.isFinite(total)) {
    const culprit = largest > OVERFLOW_POINTS[dtype] ? `exp(${signed(largest)})` : "the sum of exp(x)";
    return { probs, problem: `overflow: ${culprit} = inf in ${dtype}, and inf / inf = NaN` };
  }
  return {
    probs,
    problem: `underflow: every exp(x) = 0 in ${dtype} (largest x = ${signed(largest)}), and 0 / 0 = NaN`,
  };
}

export function signed(value, decimals = 1) {
  return value.toFixed(decimals).replace("-", "\u2212");
}
