// The attention explorer's front end (course_utils/widgets/attention.py): one slider for the
// scale s = factor · √d; softmax(QKᵀ / s + mask) computed here and drawn with canvas.js's
// drawHeatmap at animation-frame rate while the slider moves, masked cells hatched. The
// kernel receives the factor (at most every SYNC_MS while dragging, at once on release), so
// Python's .factor / .weights / .readout_text follow; NumPy is the reference the tests use.
//
// Concatenated after canvas.js and softmax.js by course_utils/widgets/front_end.py.

const ATTENTION_SYNC_MS = 100;

// Python's f"{value:.1e}" (ASCII minus, two exponent digits), as the kernel's readout writes it.
function pythonExponent(value) {
  const [mantissa, exponent] = value.toExponential(1).split("e");
  const power = Number(exponent);
  return `${mantissa}e${power < 0 ? "-" : "+"}${String(Math.abs(power)).padStart(2, "0")}`;
}

// numpy.median: the middle value, or the mean of the two middle values.
function median(values) {
  const sorted = values.slice().sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function attentionWeights(queries, keys, masked, scale) {
  return queries.map((q, i) => softmax(keys.map((k, j) => {
    if (masked[i][j]) return -Infinity;
    let dot = 0;
    for (let m = 0; m < q.length; m += 1) dot += q[m] * k[m];
    return dot / scale;
  })));
}

// The readout, line for line as AttentionExplorer._readout writes it in Python.
export function attentionText(weights, upstream, factor, scale) {
  const typical = median(weights.map((row, i) => {
    const g = upstream[i];
    const dot = row.reduce((sum, w, j) => sum + w * g[j], 0);
    const grads = row.map((w, j) => w * (g[j] - dot));   // softmax VJP, notebook 05
    return Math.sqrt(grads.reduce((sum, v) => sum + v * v, 0) / grads.length);
  }));
  return [
    `scale s = ${factor.toFixed(2)} · √d = ${Number(scale.toPrecision(3))}`,
    `largest weight of each query: ${weights.map((row) => Math.max(...row).toFixed(2)).join(" ")}`,
    `typical size of dL/dscores: ${pythonExponent(typical)}`,
  ].join("\n");
}

function renderAttention({ model, el }) {
  const queries = model.get("query_rows");
  const keys = model.get("key_rows");
  const masked = model.get("masked");
  const upstream = model.get("upstream_rows");
  const root = document.createElement("div");
  root.className = "course-explorer course-live course-attention";
  root.setAttribute("role", "group");
  root.setAttribute("aria-label", model.get("title"));
  root.setAttribute("data-lm-suppress-shortcuts", "true");  // arrow keys belong to the slider
  const heading = document.createElement("div");
  heading.className = "course-title";
  heading.textContent = model.get("title");
  const id = `course-${Math.random().toString(36).slice(2)}`;
  const row = document.createElement("div");
  row.className = "course-slider";
  const label = document.createElement("label");
  label.setAttribute("for", id);
  label.textContent = "s / √d";
  const input = document.createElement("input");
  Object.assign(input, { type: "range", id, min: model.get("factor_min"), max: model.get("factor_max"),
    step: model.get("factor_step") });
  const output = document.createElement("output");
  output.setAttribute("for", id);
  output.setAttribute("aria-hidden", "true");
  row.append(label, input, output);
  const canvas = document.createElement("canvas");
  canvas.className = "course-canvas";
  canvas.setAttribute("role", "img");
  const readout = document.createElement("pre");
  const body = document.createElement("div");
  body.className = "course-body";
  const controls = document.createElement("div");
  controls.className = "course-controls";
  controls.style.width = "16em";  // one slider: the heatmap sits close beside it
  controls.append(row);
  const figure = document.createElement("div");
  figure.className = "course-figure";
  figure.append(canvas, document.createElement("div"));
  figure.lastChild.className = "course-readout";
  figure.lastChild.append(readout);
  body.append(controls, figure);
  root.append(heading, body);
  el.append(root);

  const d = queries[0].length;
  let factor = model.get("factor");
  let frames = 0;
  let painted = factor;  // the factor of the frame on screen (the slider may be ahead of it)
  let layout = {};
  const width = 500;
  const height = 380;
  figure.style.setProperty("--course-canvas-width", `${width}px`);

  function show() {
    input.value = String(factor);
    output.textContent = factor.toFixed(2);
    const spoken = `scale s = ${factor.toFixed(2)} times square root of d`;
    input.setAttribute("aria-valuetext", spoken);
    input.setAttribute("aria-label", spoken);
  }

  function paint() {
    const scale = factor * Math.sqrt(d);
    const weights = attentionWeights(queries, keys, masked, scale);
    const ctx = fitCanvas(canvas, width, height);
    const labels = (symbol) => weights.map((_, k) => `${symbol}${k + 1}`);
    layout = drawHeatmap(ctx, { x: 0, y: 0, width, height }, {
      values: weights, rowLabels: labels("q"), colLabels: labels("k"), colormap: model.get("colormap"),
      limits: [0, 1], decimals: 2, annotate: false, title: "attention weights", xLabel: "key",
      yLabel: "query", colorbarLabel: "weight", fontPx: 13,
    });
    hatchMasked(ctx);
    readout.textContent = attentionText(weights, upstream, factor, scale);
    canvas.setAttribute("aria-label", `Heatmap of the attention weights at s = ${factor.toFixed(2)} √d; `
      + `largest weight of each query ${weights.map((r) => Math.max(...r).toFixed(2)).join(", ")}; masked cells hatched.`);
    painted = factor;
    frames += 1;
    root.dataset.frames = String(frames);
  }

  function hatchMasked(ctx) {
    (layout.cells || []).forEach((cells, i) => cells.forEach((cell, j) => {
      if (!masked[i][j]) return;
      ctx.save();
      ctx.fillStyle = "#e6e6e6";
      ctx.fillRect(cell.x, cell.y, cell.width, cell.height);
      ctx.beginPath();
      ctx.rect(cell.x, cell.y, cell.width, cell.height);
      ctx.clip();
      ctx.strokeStyle = "#8c8c8c";
      for (let offset = -cell.height; offset < cell.width; offset += 6) {
        ctx.moveTo(cell.x + offset, cell.y + cell.height);
        ctx.lineTo(cell.x + offset + cell.height, cell.y);
      }
      ctx.stroke();
      ctx.restore();
    }));
  }

  let pending = false;
  const draw = () => {
    if (!pending) { pending = true; requestAnimationFrame(() => { pending = false; paint(); }); }
  };
  let timer = null;
  const syncNow = () => {
    if (timer !== null) { clearTimeout(timer); timer = null; }
    model.set("factor", factor);
    model.save_changes();
  };
  const scheduleSync = () => { if (timer === null) timer = setTimeout(syncNow, ATTENTION_SYNC_MS); };
  const set = (value) => {
    const low = Number(input.min), high = Number(input.max), step = Number(input.step);
    factor = Number(Math.min(high, Math.max(low, low + Math.round((value - low) / step) * step)).toFixed(6));
    show();
    draw();
  };
  input.addEventListener("input", () => { set(Number(input.value)); scheduleSync(); });
  input.addEventListener("change", () => { set(Number(input.value)); syncNow(); });
  // JupyterLab's command mode would take the arrow keys: the slider handles them itself
  input.addEventListener("keydown", (event) => {
    const step = Number(input.step);
    const moves = { ArrowLeft: -step, ArrowDown: -step, ArrowRight: step, ArrowUp: step,
      PageDown: -10 * step, PageUp: 10 * step };
    let value = factor;
    if (event.key in moves) value += moves[event.key];
    else if (event.key === "Home") value = Number(input.min);
    else if (event.key === "End") value = Number(input.max);
    else return;
    event.preventDefault();
    event.stopPropagation();
    set(value);
    syncNow();
  });
  // a value set from Python is shown as it is, never sent back snapped
  model.on("change:factor", () => {
    const next = model.get("factor");
    if (next !== factor) { factor = next; show(); draw(); }
  });

  // for the browser tests: the frame on screen and what it was drawn from
  root.courseFrame = () => ({ factor: painted, frames, layout, readout: readout.textContent });
  show();
  paint();
  return () => { if (timer !== null) clearTimeout(timer); };
}

export default { render: renderAttention };
