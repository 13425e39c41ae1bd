/**
 * Dense symmetric positive-definite linear algebra on row-major Float64Array matrices
 * (element (i, j) of an n×n matrix at index i·n + j).
 */

/**
 * In-place Cholesky factorisation A = L·Lᵀ. Reads only the lower triangle of `a` and
 * overwrites it with L; the strict upper triangle is left as it was.
 * Returns false (leaving `a` partly overwritten) when A is not numerically positive definite.
 */
export function choleskyInPlace(a: Float64Array, n: number): boolean {
  // Row-oriented (Cholesky–Banachiewicz) with a 4×2 register block: four rows of L are
  // produced together, two columns at a time, so every value loaded feeds several
  // multiply–adds and each earlier row is streamed once per four rows.
  for (let i0 = 0; i0 < n; i0 += 4) {
    const rows = Math.min(4, n - i0);
    if (rows === 4) {
      const r0 = i0 * n;
      const r1 = r0 + n;
      const r2 = r1 + n;
      const r3 = r2 + n;
      let j = 0;
      for (; j + 1 < i0; j += 2) {
        const rj = j * n;
        const rk = rj + n;
        let s0 = a[r0 + j]!;
        let s1 = a[r1 + j]!;
        let s2 = a[r2 + j]!;
        let s3 = a[r3 + j]!;
        let t0 = a[r0 + j + 1]!;
        let t1 = a[r1 + j + 1]!;
        let t2 = a[r2 + j + 1]!;
        let t3 = a[r3 + j + 1]!;
        for (let k = 0; k < j; k++) {
          const l = a[rj + k]!;
          const m = a[rk + k]!;
          const x0 = a[r0 + k]!;
          const x1 = a[r1 + k]!;
          const x2 = a[r2 + k]!;
          const x3 = a[r3 + k]!;
          s0 -= x0 * l;
          s1 -= x1 * l;
          s2 -= x2 * l;
          s3 -= x3 * l;
          t0 -= x0 * m;
          t1 -= x1 * m;
          t2 -= x2 * m;
          t3 -= x3 * m;
        }
        const d = a[rj + j]!;
        s0 /= d;
        s1 /= d;
        s2 /= d;
        s3 /= d;
        a[r0 + j] = s0;
        a[r1 + j] = s1;
        a[r2 + j] = s2;
        a[r3 + j] = s3;
        // Column j+1 still lacks the k = j term, which needed column j first.
        const m = a[rk + j]!;
        const d1 = a[rk + j + 1]!;
        a[r0 + j + 1] = (t0 - s0 * m) / d1;
        a[r1 + j + 1] = (t1 - s1 * m) / d1;
        a[r2 + j + 1] = (t2 - s2 * m) / d1;
        a[r3 + j + 1] = (t3 - s3 * m) / d1;
      }
      for (; j < i0; j++) {
        const rj = j * n;
        let s0 = a[r0 + j]!;
        let s1 = a[r1 + j]!;
        let s2 = a[r2 + j]!;
        let s3 = a[r3 + j]!;
        for (let k = 0; k < j; k++) {
          const l = a[rj + k]!;
          s0 -= a[r0 + k]! * l;
          s1 -= a[r1 + k]! * l;
          s2 -= a[r2 + k]! * l;
          s3 -= a[r3 + k]! * l;
        }
        const d = a[rj + j]!;
        a[r0 + j] = s0 / d;
        a[r1 + j] = s1 / d;
        a[r2 + j] = s2 / d;
        a[r3 + j] = s3 / d;
      }
    } else {
      for (let i = i0; i < i0 + rows; i++) {
        const ri = i * n;
        for (let j = 0; j < i0; j++) {
          const rj = j * n;
          let s = a[ri + j]!;
          for (let k = 0; k < j; k++) s -= a[ri + k]! * a[rj + k]!;
          a[ri + j] = s / a[rj + j]!;
        }
      }
    }
    // The diagonal block.
    for (let i = i0; i < i0 + rows; i++) {
      const ri = i * n;
      for (let j = i0; j < i; j++) {
        const rj = j * n;
        let s = a[ri + j]!;
        for (let k = 0; k < j; k++) s -= a[ri + k]! * a[rj + k]!;
        a[ri + j] = s / a[rj + j]!;
      }
      let d = a[ri + i]!;
      for (let k = 0; k < i; k++) {
        const v = a[ri + k]!;
        d -= v * v;
      }
      if (!(d > 0) || !Number.isFinite(d)) return false;
      a[ri + i] = Math.sqrt(d);
    }
  }
  return true;
}

/** Solves A·x = b in place (b becomes x) given the Cholesky factor L of A. */
export function choleskySolveInPlace(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[ri + k]! * b[k]!;
    b[i] = s / l[ri + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * b[k]!;
    b[i] = s / l[i * n + i]!;
  }
}

/** log det A from its Cholesky factor. */
export function choleskyLogDet(l: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(l[i * n + i]!);
  return 2 * s;
}

/**
 * Columns j0 … j0+3 of L⁻¹ (fewer at the end), interleaved: x[4·i + c] = (L⁻¹)_{i, j0+c}.
 * Forward substitution x_i = ([i = j] − Σ_{k<i} L_ik x_k) / L_ii; entries above column j
 * come out as exact zeros, so the four columns can share every load of a row of L.
 */
function inverseColumnsOfFactor(l: Float64Array, n: number, j0: number, x: Float64Array): void {
  // Two rows at a time, so that each load of x serves two rows of L.
  let i = j0;
  for (; i + 1 < n; i += 2) {
    const ri = i * n;
    const rk = ri + n;
    let s0 = i === j0 ? 1 : 0;
    let s1 = i === j0 + 1 ? 1 : 0;
    let s2 = i === j0 + 2 ? 1 : 0;
    let s3 = i === j0 + 3 ? 1 : 0;
    let t0 = i + 1 === j0 ? 1 : 0;
    let t1 = i + 1 === j0 + 1 ? 1 : 0;
    let t2 = i + 1 === j0 + 2 ? 1 : 0;
    let t3 = i + 1 === j0 + 3 ? 1 : 0;
    for (let k = j0; k < i; k++) {
      const v = l[ri + k]!;
      const w = l[rk + k]!;
      const b = 4 * k;
      const x0 = x[b]!;
      const x1 = x[b + 1]!;
      const x2 = x[b + 2]!;
      const x3 = x[b + 3]!;
      s0 -= v * x0;
      s1 -= v * x1;
      s2 -= v * x2;
      s3 -= v * x3;
      t0 -= w * x0;
      t1 -= w * x1;
      t2 -= w * x2;
      t3 -= w * x3;
    }
    const d = l[ri + i]!;
    s0 /= d;
    s1 /= d;
    s2 /= d;
    s3 /= d;
    const b = 4 * i;
    x[b] = s0;
    x[b + 1] = s1;
    x[b + 2] = s2;
    x[b + 3] = s3;
    // Row i+1 still lacks the k = i term.
    const w = l[rk + i]!;
    const d1 = l[rk + i + 1]!;
    x[b + 4] = (t0 - w * s0) / d1;
    x[b + 5] = (t1 - w * s1) / d1;
    x[b + 6] = (t2 - w * s2) / d1;
    x[b + 7] = (t3 - w * s3) / d1;
  }
  for (; i < n; i++) {
    const ri = i * n;
    let s0 = i === j0 ? 1 : 0;
    let s1 = i === j0 + 1 ? 1 : 0;
    let s2 = i === j0 + 2 ? 1 : 0;
    let s3 = i === j0 + 3 ? 1 : 0;
    for (let k = j0; k < i; k++) {
      const v = l[ri + k]!;
      const b = 4 * k;
      s0 -= v * x[b]!;
      s1 -= v * x[b + 1]!;
      s2 -= v * x[b + 2]!;
      s3 -= v * x[b + 3]!;
    }
    const d = l[ri + i]!;
    const b = 4 * i;
    x[b] = s0 / d;
    x[b + 1] = s1 / d;
    x[b + 2] = s2 / d;
    x[b + 3] = s3 / d;
  }
}

/** Diagonal of A⁻¹ from the Cholesky factor of A: (A⁻¹)_jj = Σ_i (L⁻¹)_ij². Costs n³/6 multiply–adds. */
export function inverseDiagonalFromCholesky(l: Float64Array, n: number): Float64Array {
  const diag = new Float64Array(n);
  const x = new Float64Array(4 * n);
  for (let j0 = 0; j0 < n; j0 += 4) {
    inverseColumnsOfFactor(l, n, j0, x);
    for (let c = 0; c < 4 && j0 + c < n; c++) {
      let acc = 0;
      for (let i = j0 + c; i < n; i++) acc += x[4 * i + c]! ** 2;
      diag[j0 + c] = acc;
    }
  }
  return diag;
}

/** The full symmetric inverse A⁻¹ = L⁻ᵀ·L⁻¹ from the Cholesky factor of A. Costs n³/3 multiply–adds. */
export function inverseFromCholesky(l: Float64Array, n: number): Float64Array {
  // u holds L⁻ᵀ row-major: row j of u is column j of L⁻¹ (zero before position j).
  const u = new Float64Array(n * n);
  const x = new Float64Array(4 * n);
  for (let j0 = 0; j0 < n; j0 += 4) {
    inverseColumnsOfFactor(l, n, j0, x);
    for (let c = 0; c < 4 && j0 + c < n; c++) {
      const row = (j0 + c) * n;
      for (let i = j0 + c; i < n; i++) u[row + i] = x[4 * i + c]!;
    }
  }
  const inv = new Float64Array(n * n);
  // (A⁻¹)_jk = Σ_i u_ji u_ki. Rows j0 … j0+3 against rows k and k+1 (4×2 register block);
  // thanks to the zeros of u every sum may start at i = k.
  const store = (j: number, k: number, v: number): void => {
    if (j <= k) {
      inv[j * n + k] = v;
      inv[k * n + j] = v;
    }
  };
  for (let j0 = 0; j0 < n; j0 += 4) {
    const count = Math.min(4, n - j0);
    const r0 = j0 * n;
    const r1 = count > 1 ? r0 + n : r0;
    const r2 = count > 2 ? r0 + 2 * n : r0;
    const r3 = count > 3 ? r0 + 3 * n : r0;
    for (let k = j0; k < n; k += 2) {
      const rk = k * n;
      const pair = k + 1 < n;
      const rl = pair ? rk + n : rk;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let t0 = 0;
      let t1 = 0;
      let t2 = 0;
      let t3 = 0;
      for (let i = k; i < n; i++) {
        const v = u[rk + i]!;
        const w = u[rl + i]!;
        const x0 = u[r0 + i]!;
        const x1 = u[r1 + i]!;
        const x2 = u[r2 + i]!;
        const x3 = u[r3 + i]!;
        s0 += x0 * v;
        s1 += x1 * v;
        s2 += x2 * v;
        s3 += x3 * v;
        t0 += x0 * w;
        t1 += x1 * w;
        t2 += x2 * w;
        t3 += x3 * w;
      }
      store(j0, k, s0);
      if (count > 1) store(j0 + 1, k, s1);
      if (count > 2) store(j0 + 2, k, s2);
      if (count > 3) store(j0 + 3, k, s3);
      if (pair) {
        store(j0, k + 1, t0);
        if (count > 1) store(j0 + 1, k + 1, t1);
        if (count > 2) store(j0 + 2, k + 1, t2);
        if (count > 3) store(j0 + 3, k + 1, t3);
      }
    }
  }
  return inv;
}

/**
 * Solves the small symmetric system A·x = b (A given as a dense row-major array).
 * Adds a growing ridge to the diagonal when A is not numerically positive definite,
 * so it always returns a finite answer for finite input.
 */
export function solveSymmetricRidged(a: readonly number[], b: readonly number[]): number[] {
  const n = b.length;
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(a[i * n + i] ?? 0));
  if (!(scale > 0)) scale = 1;
  for (let ridge = 0; ; ridge = ridge === 0 ? 1e-12 * scale : ridge * 100) {
    const m = Float64Array.from(a);
    for (let i = 0; i < n; i++) m[i * n + i] = m[i * n + i]! + ridge;
    if (choleskyInPlace(m, n)) {
      const x = Float64Array.from(b);
      choleskySolveInPlace(m, n, x);
      return Array.from(x);
    }
    if (ridge > 1e12 * scale) return b.map(() => 0);
  }
}
