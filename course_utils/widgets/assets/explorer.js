// The explorers' front end (course_utils/widgets/explorers.py, stability.py): sliders,
// presets, reset and a projector toggle in the page; σ and J computed here and drawn on a
// canvas at animation-frame rate while a slider moves. The kernel receives the values
// (at most every SYNC_MS while dragging, and at once on release), so Python's
// .logits / .probs / .jacobian follow, and NumPy stays the reference the tests compare
// these numbers with. Values the kernel sets are shown as they are: the browser never
// sends back a copy snapped to a slider's step.
//
// Concatenated after canvas.js and softmax.js by course_utils/widgets/assets.py.

const SYNC_MS = 500;
const MAX_CLASSES = 10;
const MIN_CLASSES = 2;

function element(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("aria-") || key.startsWith("data-") || key === "role" || key === "for") node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children) node.append(child);
  return node;
}

function temperatureText(value) {
  // 3 significant digits, as the kernel's readout_format ".3g"
  return Number(value.toPrecision(3)).toString().replace("-", MINUS);
}

function small(value) {
  // a rounding-sized number as a bound that does not depend on the last bits: "< 1e−16"
  if (value === 0) return "0";
  if (value >= 1e-6) return scientific(value, 1);
  const exponent = Math.floor(Math.log10(value)) + 1;
  return `< 1e${exponent}`.replace("-", MINUS);
}

function equals(value) {
  const text = small(value);
  return text.startsWith("<") ? text : `= ${text}`;
}

function vector(values) {
  return values.map((v) => formatNumber(v)).join(", ");
}

// --- the readouts: the same text as course_utils.widgets.readouts / stability -------------

function probabilitiesText(probs, temperature) {
  const names = classLabels(probs.length);
  const lines = [`T = ${temperature.toFixed(2)}`];
  probs.forEach((p, k) => lines.push(`${names[k]} = ${formatNumber(p)}`));
  const largest = probs.indexOf(Math.max(...probs));
  lines.push(`sum = ${formatNumber(probs.reduce((a, b) => a + b, 0))}   largest: ${names[largest]}`);
  return lines.join("\n");
}

function jacobianText(probs, matrix, temperature) {
  const facts = jacobianProperties(matrix, temperature);
  const eigen = facts.eigenvalues.map((v) => formatNumber(Math.abs(v) <= facts.tolerance ? 0 : v)).join(", ");
  const bound = temperature === 1 ? "1/4" : `1/(4T) = ${formatNumber(facts.diagonalBound)}`;
  return [
    `T = ${temperature.toFixed(2)}   σ = [${vector(probs)}]`,
    `symmetric: ${facts.symmetric ? "yes" : "NO"} (largest |J − Jᵀ| ${equals(facts.asymmetry)})`,
    `row sums: ${facts.rowsSumToZero ? "all 0" : "NOT all 0"} (largest |Σⱼ Jᵢⱼ| ${equals(Math.max(...facts.rowSums.map(Math.abs)))})`,
    `eigenvalues: ${eigen}   rank ${facts.rank} of ${matrix.length}`,
    `largest diagonal entry: ${formatNumber(facts.largestDiagonal)} ${facts.diagonalWithinBound ? "≤" : ">"} ${bound} ${facts.diagonalWithinBound ? "✓" : "✗"}`,
  ].join("\n");
}

function compareMethods(scaled, dtype) {
  const round = dtype === "float32" ? Math.fround : (v) => v;
  const values = scaled.map(round);
  const naive = naiveSoftmax(values, dtype);
  const shifted = softmax(values).map(round);
  return {
    largestExponent: Math.max(...values),
    naive: naive.probs,
    naiveProblem: naive.problem,
    shifted,
    logProbs: logSoftmax(values).map(round),
    underflowed: shifted.filter((p) => p === 0).length,
  };
}

function comparisonText(result, dtype) {
  const naive = result.naiveProblem !== null ? result.naiveProblem : `σ = [${vector(result.naive)}] ✓`;
  const lines = [
    `largest exponent ${signed(result.largestExponent)} (${dtype} overflows above ${OVERFLOW_POINTS[dtype].toFixed(2)})`,
    `naive:       ${naive}`,
    `max-shifted: σ = [${vector(result.shifted)}]   sum ${formatNumber(result.shifted.reduce((a, b) => a + b, 0))} ✓`,
    `log-softmax: log σ = [${vector(result.logProbs)}] ✓ finite`,
  ];
  if (result.underflowed) {
    const count = result.underflowed;
    lines.push(`${count} ${count === 1 ? "probability" : "probabilities"} underflowed to 0: log(σ) would be −inf, log-softmax is not`);
  }
  return lines.join("\n");
}

function shortLabel(value) {
  // formatting.format_short: below 0.0005 in size, "0"
  if (Math.abs(value) < 0.0005) return "0";
  const text = Math.abs(value) >= 100 ? value.toFixed(0) : Number(value.toPrecision(3)).toString();
  return text.replaceAll("-", MINUS);
}

// --- the view ---------------------------------------------------------------------------

function render({ model, el }) {
  const kind = model.get("kind");
  const state = {
    logits: model.get("logit_values").slice(),
    temperature: model.get("temperature_value"),
    scale: model.get("scale_value"),
    dtype: model.get("dtype_value"),
    presentation: model.get("presentation"),
  };
  const root = element("div", { class: `course-explorer course-live course-${kind}`, role: "group", "aria-label": model.get("title") });
  // JupyterLab binds arrow keys in command mode (ArrowLeft folds a heading): keys pressed
  // inside an explorer belong to its sliders and buttons
  root.setAttribute("data-lm-suppress-shortcuts", "true");
  const heading = element("div", { class: "course-title", text: model.get("title") });
  const controls = element("div", { class: "course-controls" });
  const figure = element("div", { class: "course-figure" });
  const canvas = element("canvas", { class: "course-canvas", role: "img" });
  const readout = element("div", { class: "course-readout" });
  const readoutText = element("pre", { "aria-hidden": "true" });
  const table = element("table", { class: "course-sr-only" });
  readout.append(readoutText, table);
  // the lab's readout lines are long (up to 145 characters at D = 10): it spans the whole
  // explorer below controls and figure; the others' readouts stand under their figure
  const wideReadout = kind === "stability";
  figure.append(...(wideReadout ? [canvas] : [canvas, readout]));
  root.append(heading, element("div", { class: "course-body" }, [controls, figure]), ...(wideReadout ? [readout] : []));
  el.append(root);

  // -- controls
  function sliderRow(label, props, onInput, describe) {
    const id = `course-${Math.random().toString(36).slice(2)}`;
    const input = element("input", { type: "range", id, ...props });
    const output = element("output", { for: id, "aria-hidden": "true" });
    const row = element("div", { class: "course-slider" }, [element("label", { for: id, text: label }), input, output]);
    const show = () => {
      const [text, spoken] = describe();
      output.textContent = text;
      input.setAttribute("aria-valuetext", spoken);
      input.setAttribute("aria-label", spoken);
    };
    input.addEventListener("input", () => { onInput(Number(input.value)); show(); draw(); scheduleSync(); });
    input.addEventListener("change", () => { onInput(Number(input.value)); show(); syncNow(); });
    // Keys are handled here, not left to the browser: in JupyterLab the notebook stops
    // arrow keys before a range input sees them (its command-mode shortcuts)
    input.addEventListener("keydown", (event) => {
      const step = Number(input.step) || 1;
      const low = Number(input.min);
      const high = Number(input.max);
      const moves = { ArrowLeft: -step, ArrowDown: -step, ArrowRight: step, ArrowUp: step,
        PageDown: -10 * step, PageUp: 10 * step };
      let value = Number(input.value);
      if (event.key in moves) value += moves[event.key];
      else if (event.key === "Home") value = low;
      else if (event.key === "End") value = high;
      else return;
      event.preventDefault();
      event.stopPropagation();
      value = Math.min(high, Math.max(low, low + Math.round((value - low) / step) * step));
      input.value = String(Number(value.toFixed(6)));
      onInput(Number(input.value)); show(); draw(); syncNow();
    });
    return { row, input, show };
  }

  let bound = 10;
  let center = 0;
  const size = sliderRow("classes D", { min: MIN_CLASSES, max: MAX_CLASSES, step: 1 }, (value) => {
    const old = state.logits;
    state.logits = Array.from({ length: value }, (_, k) => (k < old.length ? old[k] : 0));
    layoutSliders();
  }, () => [String(state.logits.length), `classes D = ${state.logits.length}`]);
  controls.append(size.row);
  const logitRows = [];
  const logitBox = element("div", { class: "course-logits" });
  for (let k = 0; k < MAX_CLASSES; k += 1) {
    const label = classLabels(k + 1, "x")[k];
    const slider = sliderRow(label, { step: 0.1 }, (value) => { state.logits[k] = value; }, () => {
      const text = formatNumber(state.logits[k] ?? 0, 2);
      return [text, `logit ${label} = ${text}`];
    });
    logitRows.push(slider);
    logitBox.append(slider.row);
  }
  const temperature = sliderRow("T", { min: -2, max: 1, step: 0.01 }, (value) => { state.temperature = Number((10 ** value).toPrecision(12)); },
    () => [temperatureText(state.temperature), `temperature T = ${temperatureText(state.temperature)}`]);
  controls.append(temperature.row);
  controls.insertBefore(temperature.row, size.row.nextSibling);
  let scale = null;
  const dtypeButtons = {};
  if (kind === "stability") {
    controls.append(element("div", { class: "course-subhead", text: "Scale and type" }));
    scale = sliderRow("scale", { min: 0, max: 3, step: 0.01 }, (value) => { state.scale = Number((10 ** value).toPrecision(12)); },
      () => [state.scale.toFixed(1), `scale = ${state.scale.toFixed(1)}`]);
    controls.append(scale.row);
    const group = element("div", { class: "course-buttons", role: "group", "aria-label": "floating-point type" });
    for (const name of ["float64", "float32"]) {
      const button = element("button", { type: "button", text: name, class: "course-button" });
      button.addEventListener("click", () => { state.dtype = name; showAll(); draw(); syncNow(); });
      dtypeButtons[name] = button;
      group.append(button);
    }
    controls.append(group);
  }
  controls.append(element("div", { class: "course-subhead", text: "Presets" }));
  const presets = model.get("presets");
  const presetBox = element("div", { class: "course-buttons" });
  for (const [name, [logits, presetT]] of Object.entries(presets)) {
    const button = element("button", { type: "button", text: name, class: "course-button", title: `logits (${logits.join(", ")}), T = ${presetT}` });
    button.addEventListener("click", () => { setState({ logits, temperature: presetT }); syncNow(); });
    presetBox.append(button);
  }
  const reset = element("button", { type: "button", text: "reset", class: "course-button course-reset", title: "back to the values the cell asked for" });
  reset.addEventListener("click", () => { setState(model.get("initial_values")); syncNow(); });
  presetBox.append(reset);
  const projector = element("button", { type: "button", text: "projector", class: "course-button course-projector", "aria-pressed": "false", title: "larger text and figure, for a projector" });
  projector.addEventListener("click", () => { state.presentation = !state.presentation; applyPresentation(); syncNow(); });
  presetBox.append(projector);
  controls.append(presetBox);
  controls.append(logitBox);

  function layoutSliders() {
    // a window of ±10 around the values: "huge scale" (1000, 999, 998) gets 990 to 1010,
    // so a small drag still moves a logit by a tenth, never by 1 per 3 pixels
    const needed = Math.max(...state.logits) > 10 || Math.min(...state.logits) < -10;
    center = needed ? 10 * Math.round((Math.max(...state.logits) + Math.min(...state.logits)) / 20) : 0;
    bound = Math.max(10, ...state.logits.map((v) => Math.ceil(Math.abs(v - center)) + 1));
    logitRows.forEach((slider, k) => {
      const active = k < state.logits.length;
      slider.row.classList.toggle("course-off", !active);
      slider.input.disabled = !active;
      slider.input.tabIndex = active ? 0 : -1;
      slider.input.min = String(center - bound);
      slider.input.max = String(center + bound);
      if (active) slider.input.value = String(state.logits[k]);
    });
  }

  function showAll() {
    size.input.value = String(state.logits.length);
    size.show();
    layoutSliders();
    logitRows.forEach((slider) => slider.show());
    temperature.input.value = String(Math.log10(state.temperature));
    temperature.show();
    if (scale) {
      scale.input.value = String(Math.log10(state.scale));
      scale.show();
      for (const [name, button] of Object.entries(dtypeButtons)) {
        button.setAttribute("aria-pressed", String(state.dtype === name));
        button.classList.toggle("course-pressed", state.dtype === name);
      }
    }
  }

  function setState(values) {
    if (values.logits) state.logits = values.logits.slice();
    if (values.temperature !== undefined) state.temperature = values.temperature;
    if (values.scale !== undefined) state.scale = values.scale;
    if (values.dtype !== undefined) state.dtype = values.dtype;
    showAll();
    draw();
  }

  // -- sync with the kernel: latest value wins, at most every SYNC_MS while dragging
  let timer = null;
  function syncNow() {
    if (timer !== null) { clearTimeout(timer); timer = null; }
    model.set({ logit_values: state.logits.slice(), temperature_value: state.temperature, scale_value: state.scale, dtype_value: state.dtype, presentation: state.presentation });
    model.save_changes();
    writeTable();
  }
  function scheduleSync() {
    if (timer === null) timer = setTimeout(syncNow, SYNC_MS);
  }
  const fromKernel = () => {
    const same = (a, b) => a.length === b.length && a.every((v, k) => v === b[k]);
    const next = { logits: model.get("logit_values"), temperature: model.get("temperature_value"), scale: model.get("scale_value"), dtype: model.get("dtype_value") };
    if (same(next.logits, state.logits) && next.temperature === state.temperature && next.scale === state.scale && next.dtype === state.dtype) return;
    setState(next);
    writeTable();
  };
  for (const name of ["logit_values", "temperature_value", "scale_value", "dtype_value"]) model.on(`change:${name}`, fromKernel);
  model.on("change:presentation", () => { state.presentation = model.get("presentation"); applyPresentation(); });

  // -- drawing, once per animation frame at most
  let pending = false;
  let frames = 0;
  function draw() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; paint(); });
  }

  // The figure's size: its base size (x 1.3 on a projector), shrunk to fit beside the
  // controls and, with its readout, within the visible height. Computed when the mode or
  // the window changes, never while a slider moves: nothing else on the page moves.
  // The heatmap and the bars keep their shape (at least 0.7 of it); the lab's gauge and
  // panels lay themselves out in any box down to LAB_MINIMUM, so its width and height
  // shrink separately.
  let fitted = null;
  const READOUT_LINES = { softmax: 12, jacobian: 8, stability: 7 };
  const LAB_MINIMUM = [300, 300];
  function fitSize() {
    const zoom = state.presentation ? 1.3 : 1;
    const fontPx = Math.round(13 * zoom);
    const base = { softmax: [400, 280], jacobian: [430, 390], stability: [620, 380] }[kind];
    const view = el.closest(".jp-WindowedPanel-outer, .jp-Notebook") || document.documentElement;
    const width = (el.clientWidth || view.clientWidth) - controls.getBoundingClientRect().width - 24;
    const height = Math.min(window.innerHeight, view.clientHeight || window.innerHeight)
      - READOUT_LINES[kind] * fontPx * (state.presentation ? 0.85 : 1) * 1.35 - heading.getBoundingClientRect().height - 36;
    const measured = el.isConnected && el.clientWidth > 0;  // not yet on the page: no limit
    let size = [base[0] * zoom, base[1] * zoom];
    if (measured && kind === "stability") {
      size = [Math.max(LAB_MINIMUM[0], Math.min(size[0], width)), Math.max(LAB_MINIMUM[1], Math.min(size[1], height))];
    } else if (measured) {
      const scale = Math.max(0.7, Math.min(zoom, width / base[0], height / base[1]));
      size = [base[0] * scale, base[1] * scale];
    }
    fitted = { width: Math.round(size[0]), height: Math.round(size[1]), fontPx, measured };
  }
  function sizes() {
    if (fitted === null || (!fitted.measured && el.isConnected && el.clientWidth > 0)) {
      fitSize();
      figure.style.setProperty("--course-canvas-width", `${fitted.width}px`);
    }
    return fitted;
  }

  const colormap = model.get("colormap");
  let layout = {};
  function paint() {
    const { width, height, fontPx } = sizes();
    const ctx = fitCanvas(canvas, width, height);
    const t = state.temperature;
    const probs = softmax(state.logits, t);
    let text;
    let alt;
    if (kind === "softmax") {
      layout = drawBars(ctx, { x: 0, y: 0, width, height }, {
        values: probs, labels: classLabels(probs.length), low: 0, high: 1, color: "#0072B2",
        format: (v) => formatNumber(v, probs.length > 6 ? 2 : 3), title: "probabilities σ = softmax(x / T)",
        yLabel: "probability", ticks: [0, 0.25, 0.5, 0.75, 1], tickFormat: (v) => v.toFixed(2), fontPx,
      });
      text = probabilitiesText(probs, t);
      alt = `Bar chart of the probabilities at T = ${temperatureText(t)}: ${probs.map((p, k) => `${classLabels(probs.length)[k]} = ${formatNumber(p)}`).join(", ")}.`;
    } else if (kind === "jacobian") {
      const matrix = jacobian(probs, t);
      const size = probs.length;
      layout = drawHeatmap(ctx, { x: 0, y: 0, width, height }, {
        values: matrix, rowLabels: classLabels(size), colLabels: classLabels(size, "x"), colormap,
        limits: [-0.25, 0.25], center: 0, decimals: 3, annotate: size <= 6, outlineDiagonal: true,
        title: "Jacobian  ∂σᵢ/∂xⱼ", xLabel: "j  (logit xⱼ)", yLabel: "i  (probability σᵢ)",
        colorbarLabel: "∂σᵢ/∂xⱼ", colorbarTicks: [-0.25, -0.1, 0, 0.1, 0.25], extend: true, fontPx,
      });
      text = jacobianText(probs, matrix, t);
      const diagonal = matrix.map((row, k) => formatNumber(row[k], 3)).join(", ");
      alt = `Heatmap of the ${size} by ${size} Jacobian at T = ${temperatureText(t)}: orange is positive, purple negative, white 0. Diagonal entries ${diagonal}; the full matrix is in the table below.`;
    } else {
      const scaled = state.logits.map((x) => (state.scale * x) / t);
      const result = compareMethods(scaled, state.dtype);
      layout = paintLab(ctx, width, height, fontPx, result);
      text = comparisonText(result, state.dtype);
      alt = `Stability lab in ${state.dtype}: largest exponent ${signed(result.largestExponent)}; naive softmax ${result.naiveProblem ? "fails: " + result.naiveProblem : "works"}; max-shifted and log-softmax stay finite.`;
    }
    canvas.setAttribute("aria-label", alt);
    readoutText.textContent = text;
    frames += 1;
    root.dataset.frames = String(frames);
  }

  // The lab: a gauge of the largest exponent against the overflow points, then the three
  // methods' bars. Laid out in rows measured from the font, not from the box, so that it
  // reads the same in any box down to LAB_MINIMUM, with nothing overlapping.
  function paintLab(ctx, width, height, fontPx, result) {
    const points = OVERFLOW_POINTS;
    const left = fontPx, right = width - fontPx, line = fontPx * 1.25;
    const xOf = (v) => left + (right - left) * (Math.log10(Math.min(1e5, Math.max(1, v)))) / 5;
    ctx.fillStyle = "#000000";
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    const title = `${state.dtype}, largest exponent ${signed(result.largestExponent)}`;
    fittingFont(ctx, title, width - 4, fontPx * 1.1);
    ctx.fillText(title, width / 2, 2);
    // each overflow point's label beside its mark, float32's to the left and float64's to
    // the right: written out where both fit in the figure, else short ("float32: 88.72")
    ctx.font = font(fontPx);
    const y0 = 2 + fontPx * 1.1 + 6 + line;
    const marks = Object.entries(points).map(([name, point]) => ({ name, x: xOf(point), point }));
    const fitsBeside = (texts) => marks.every((mark, k) => {
      const w = ctx.measureText(texts[k]).width;
      return mark.name === "float32" ? mark.x - 3 - w >= 2 : mark.x + 3 + w <= width - 2;
    });
    let texts = marks.map((m) => `${m.name} overflows above ${m.point.toFixed(2)}`);
    if (!fitsBeside(texts)) texts = marks.map((m) => `${m.name}: ${m.point.toFixed(2)}`);
    const overflows = result.largestExponent > points[state.dtype];
    const barHeight = fontPx * 1.3;
    ctx.fillStyle = overflows ? "#D55E00" : "#0072B2";
    ctx.fillRect(left, y0, Math.max(0, xOf(result.largestExponent) - left), barHeight);
    ctx.strokeStyle = "#000000";
    ctx.strokeRect(left, y0, right - left, barHeight);
    ctx.fillStyle = "#000000";
    for (let k = 0; k <= 5; k += 1) {
      ctx.fillRect(xOf(10 ** k) - 0.5, y0 + barHeight, 1, 4);
      ctx.textAlign = "center";
      ctx.textBaseline = "top";
      ctx.fillText(k === 0 ? "1" : `10${"⁰¹²³⁴⁵"[k]}`, xOf(10 ** k), y0 + barHeight + 5);
    }
    marks.forEach((mark, k) => {
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      ctx.moveTo(mark.x, y0 - 4);
      ctx.lineTo(mark.x, y0 + barHeight + 4);
      ctx.stroke();
      ctx.setLineDash([]);
      const w = ctx.measureText(texts[k]).width;
      const start = mark.name === "float32" ? Math.max(2, mark.x - 3 - w) : Math.min(width - 2 - w, mark.x + 3);
      ctx.textAlign = "left";
      ctx.textBaseline = "bottom";
      ctx.fillText(texts[k], start, y0 - 3);
    });
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    const captionTop = y0 + barHeight + 5 + line;
    const captionLines = wrapText(ctx, "largest exponent in a naive softmax: max(x) / T", width / 2, captionTop, width - 4, line);
    const panelTop = captionTop + captionLines * line + fontPx * 0.6;
    const panelWidth = width / 3;
    const panelHeight = height - panelTop;
    const size = result.shifted.length;
    const labels = classLabels(size);
    const ok = result.naiveProblem === null;
    const panels = [];
    const tickProbs = [0, 0.5, 1];
    const panel = (k) => ({ x: k * panelWidth, y: panelTop, width: panelWidth, height: panelHeight });
    // short labels (a third of the figure each): 2 decimals, or one digit and a power of 10
    const probFormat = (v) => (v >= 0.005 || v === 0 ? v.toFixed(2) : scientific(v, 0));
    // the three titles in one size: the largest at which each fits its third
    const titles = ["naive ✓", "max-shifted ✓", "log-softmax ✓"];
    const titlePx = Math.min(...titles.map((text) => fittingFont(ctx, text, panelWidth - 4, fontPx * 1.15)));
    const probBars = { labels, low: 0, high: 1, color: "#0072B2", ticks: tickProbs, tickFormat: (v) => v.toFixed(1), fontPx, titlePx };
    if (ok) {
      panels.push(drawBars(ctx, panel(0), { ...probBars, values: result.naive, format: probFormat, title: "naive ✓" }));
    } else {
      // no bars to read: no value axis either, and the panel's width for the reason
      drawBars(ctx, panel(0), { ...probBars, values: result.naive.map(() => 0), title: "naive ✗", ticks: [] });
      writeProblem(ctx, result.naiveProblem, panel(0), fontPx);
    }
    panels.push(drawBars(ctx, panel(1), { ...probBars, values: result.shifted, format: probFormat, title: "max-shifted ✓" }));
    const lowest = Math.min(...result.logProbs, -1);
    panels.push(drawBars(ctx, panel(2), { values: result.logProbs, labels, low: 1.25 * lowest, high: 0, color: "#009E73", format: shortLabel, title: "log-softmax ✓", ticks: [lowest, 0], tickFormat: shortLabel, fontPx, titlePx }));
    return { panels };
  }

  // Why the naive softmax failed, in orange, in the empty plot of its panel: its parts one
  // under another, wrapped to the plot's width, in smaller type (down to 12 px) where they
  // would not fit its height or a word would not fit its width.
  function writeProblem(ctx, problem, box, fontPx) {
    const parts = problem.replace(": ", "\n").replace(", and ", "\n").split("\n");
    const plot = { x: box.x + 10, width: box.width - 16, top: box.y + fontPx * 3.4, bottom: box.y + box.height - fontPx * 2 };
    let px = fontPx;
    let lines;
    for (; ; px -= 1) {
      ctx.font = font(px, true);
      lines = parts.flatMap((part) => wrapLines(ctx, part, plot.width));
      const wide = Math.max(...lines.map((text) => ctx.measureText(text).width));
      if ((lines.length * px * 1.2 <= plot.bottom - plot.top && wide <= plot.width) || px <= 12) break;
    }
    ctx.fillStyle = "#D55E00";
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    const top = Math.max(plot.top, (plot.top + plot.bottom - lines.length * px * 1.2) / 2);
    lines.forEach((text, k) => ctx.fillText(text, plot.x + plot.width / 2, top + k * px * 1.2));
  }

  // ``text`` split into lines at most ``width`` wide in ctx's font (a longer word keeps its line)
  function wrapLines(ctx, text, width) {
    const lines = [];
    let current = "";
    for (const word of text.split(" ")) {
      const trial = current ? `${current} ${word}` : word;
      if (ctx.measureText(trial).width > width && current) { lines.push(current); current = word; } else current = trial;
    }
    lines.push(current);
    return lines;
  }

  // ``text`` written in lines at most ``width`` wide from (x, y) down; returns how many
  function wrapText(ctx, text, x, y, width, lineHeight) {
    const lines = wrapLines(ctx, text, width);
    lines.forEach((part, k) => ctx.fillText(part, x, y + k * lineHeight));
    return lines.length;
  }

  // the numbers as a table, for screen readers (written at rest, not at every frame)
  function writeTable() {
    const probs = softmax(state.logits, state.temperature);
    const labels = classLabels(probs.length);
    let rows;
    if (kind === "jacobian") {
      const matrix = jacobian(probs, state.temperature);
      const texts = formatMatrix(matrix, 3);
      rows = [["", ...classLabels(probs.length, "∂/∂x")], ...matrix.map((row, i) => [labels[i], ...texts[i]])];
      table.setAttribute("aria-label", "the Jacobian, row i = σᵢ, column j = ∂/∂xⱼ");
    } else {
      rows = [["class", "probability"], ...probs.map((p, k) => [labels[k], formatNumber(p)])];
      table.setAttribute("aria-label", "the probabilities");
    }
    table.replaceChildren(...rows.map((cells, r) => element("tr", {}, cells.map((cell, c) => element(r === 0 || c === 0 ? "th" : "td", { text: cell })))));
  }

  function applyPresentation() {
    root.classList.toggle("course-presentation", state.presentation);
    fitted = null;
    projector.setAttribute("aria-pressed", String(state.presentation));
    projector.classList.toggle("course-pressed", state.presentation);
    const { width, height } = sizes();
    figure.style.setProperty("--course-canvas-width", `${width}px`);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    draw();
  }

  // for the browser tests: what was drawn where, and the state it was drawn from
  root.courseFrame = () => ({ state: JSON.parse(JSON.stringify(state)), layout, frames, ratio: window.devicePixelRatio || 1 });

  showAll();
  applyPresentation();
  writeTable();
  paint();
  // refit when the space changes (window, sidebar, presentation mode), never for content:
  // the container's width and the window's height, not the explorer's own height
  let lastSpace = "";
  const refit = () => {
    const space = `${el.clientWidth}x${window.innerHeight}`;
    if (space === lastSpace) return;
    lastSpace = space;
    applyPresentation();
  };
  const observer = new ResizeObserver(() => requestAnimationFrame(refit));
  observer.observe(el);
  window.addEventListener("resize", refit);
  return () => {
    if (timer !== null) clearTimeout(timer);
    observer.disconnect();
    window.removeEventListener("resize", refit);
  };
}

export default { render };
