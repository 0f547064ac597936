// The course's canvas drawing: a heatmap of any matrix and a bar chart, drawn at the
// resolution they are shown at (CSS pixels x devicePixelRatio), in one font family.
//
// Generic on purpose: the explorers draw the softmax Jacobian with it, and any other
// widget may draw any matrix with its own labels, colour scale and number format.
// Python counterpart and API description: course_utils/widgets/canvas.py (MatrixHeatmap).
//
// drawHeatmap(ctx, box, spec) -> layout
//   box:  {x, y, width, height} in CSS pixels, where the whole chart (title, ticks,
//         colour bar) must fit.
//   spec: values        number[][] (rows x columns, any shape)
//         rowLabels     string[]   (one per row), colLabels string[] (one per column)
//         colormap      string[]   CSS colours, low to high (sampled evenly)
//         limits        [low, high] the colours span; values beyond use the end colours
//         center        optional value drawn in the middle colour (default: midpoint)
//         decimals      digits of the written values (default 3); see formatMatrix
//         annotate      write each value in its cell (default: cells >= 28 px)
//         outlineDiagonal  black outline and bold value on the diagonal (default false)
//         title, xLabel, yLabel, colorbarLabel   strings (optional)
//         fontPx        base font size in CSS pixels (default 13; at least 12 = 9 pt)
//   layout: {cells: [[{x, y, width, height}]]}: where each cell was drawn (for tests).
//
// drawBars(ctx, box, spec) -> layout
//   spec: values number[], labels string[], low, high (the value axis), color,
//         format (value -> string), title, yLabel, fontPx, ticks number[] (axis ticks),
//         titlePx (the title's size, default 1.15 fontPx; smaller where it would not fit)
//   layout: {bars: [{x, y, width, height}]}

export const FONT_FAMILY = '"DejaVu Sans", "Bitstream Vera Sans", Verdana, sans-serif';
export const MINUS = "\u2212";
const TEXT_COLOR = "#000000";

// Make a canvas show width x height CSS pixels, backed by that many device pixels.
export function fitCanvas(canvas, width, height) {
  const ratio = window.devicePixelRatio || 1;
  const pixelWidth = Math.round(width * ratio);
  const pixelHeight = Math.round(height * ratio);
  if (canvas.width !== pixelWidth || canvas.height !== pixelHeight) {
    canvas.width = pixelWidth;
    canvas.height = pixelHeight;
  }
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, width, height);
  return ctx;
}

export function font(px, bold = false) {
  return `${bold ? "bold " : ""}${Math.round(px)}px ${FONT_FAMILY}`;
}

// The largest size up to ``px`` (never below 12 px = 9 pt) at which ``text`` is at most
// ``width`` wide; leaves ctx.font set to it.
export function fittingFont(ctx, text, width, px, bold = false) {
  ctx.font = font(px, bold);
  const natural = ctx.measureText(text).width;
  const size = natural <= width ? px : Math.max(12, Math.floor((px * width) / natural));
  ctx.font = font(size, bold);
  return size;
}

// The package's number format (course_utils/formatting.py, same rules): fixed decimals,
// a true minus sign, never "-0.000"; positive values too small for the decimals in
// scientific notation ("4.54e-05"), so a tiny probability never reads as 0.
export function formatNumber(value, decimals = 4) {
  let text;
  if (value > 0 && value < 0.5 * 10 ** -decimals) {
    text = scientific(value, 2);
  } else {
    text = value.toFixed(decimals);
    if (Number(text) === 0) text = text.replace("-", "");
  }
  return text.replace("-", MINUS);
}

// Python's f"{value:.{digits}e}": "4.54e-05".
export function scientific(value, digits) {
  const [mantissa, exponent] = value.toExponential(digits).split("e");
  const power = Number(exponent);
  const sign = power < 0 ? "-" : "+";
  return `${mantissa}e${sign}${String(Math.abs(power)).padStart(2, "0")}`.replaceAll("-", MINUS);
}

// One format for a whole matrix (formatting.format_matrix): fixed decimals when every
// entry is rounding noise or large enough to show in them; otherwise every entry in
// scientific notation, so "-7e-12" never stands beside "0.000".
export function formatMatrix(values, decimals = 3, noise = 1e-12) {
  const flat = values.flat();
  const scale = Math.max(1, ...flat.map(Math.abs));
  const tiny = flat.some((v) => Math.abs(v) > noise * scale && Math.abs(v) < 0.5 * 10 ** -decimals);
  return values.map((row) => row.map((v) => {
    if (Math.abs(v) <= noise * scale) return tiny ? "0" : (0).toFixed(decimals);
    if (tiny) return scientific(v, 1);
    return v.toFixed(decimals).replace("-", MINUS);
  }));
}

export function colorOf(value, colormap, low, high, center) {
  const middle = center === undefined ? (low + high) / 2 : center;
  let t;
  if (value <= middle) t = 0.5 * (Math.max(value, low) - low) / (middle - low || 1);
  else t = 0.5 + 0.5 * (Math.min(value, high) - middle) / (high - middle || 1);
  const index = Math.min(colormap.length - 1, Math.max(0, Math.round(t * (colormap.length - 1))));
  return colormap[index];
}

// Black or white text, whichever contrasts more with a #rrggbb background.
export function textColorOn(hex) {
  const channel = (i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) ? "#000000" : "#ffffff";
}

export function drawHeatmap(ctx, box, spec) {
  const px = Math.max(12, spec.fontPx || 13);
  const rows = spec.values.length;
  const columns = rows ? spec.values[0].length : 0;
  const [low, high] = spec.limits;
  const titleHeight = spec.title ? px * 1.8 : 0;
  const labelHeight = spec.xLabel ? px * 1.5 : 0;
  ctx.font = font(px);
  const tickWidth = Math.max(0, ...spec.rowLabels.map((label) => ctx.measureText(label).width));
  const left = box.x + (spec.yLabel ? px * 1.6 : 0) + tickWidth + 6;
  const tickTexts = (spec.colorbarTicks || [low, (low + high) / 2, high]).map((tick) => formatNumber(tick, 2));
  const tickTextWidth = Math.max(0, ...tickTexts.map((text) => ctx.measureText(text).width));
  // colour bar, its ticks, their values and its label, side by side
  const barWidth = spec.colorbarLabel !== undefined ? px * 0.9 + 10 + tickTextWidth + px * 2.4 : 0;
  const top = box.y + titleHeight;
  const side = Math.min(
    (box.x + box.width - barWidth - left) / columns,
    (box.y + box.height - labelHeight - px * 1.6 - top) / rows,
  );
  const cells = [];
  const texts = formatMatrix(spec.values, spec.decimals ?? 3);
  // values are written only where the widest fits its cell at 12 px or more: never overlapping
  let cellPx = Math.max(12, Math.min(px, side / 3));
  ctx.font = font(cellPx, true);
  const widest = Math.max(0, ...texts.flat().map((text) => ctx.measureText(text).width));
  if (widest > side - 6) cellPx = Math.max(12, (cellPx * (side - 6)) / widest);
  ctx.font = font(cellPx, true);
  const fits = Math.max(0, ...texts.flat().map((text) => ctx.measureText(text).width)) <= side - 6;
  const annotate = (spec.annotate ?? side >= 28) && fits;
  for (let i = 0; i < rows; i += 1) {
    const row = [];
    for (let j = 0; j < columns; j += 1) {
      const cell = { x: left + j * side, y: top + i * side, width: side, height: side };
      const color = colorOf(spec.values[i][j], spec.colormap, low, high, spec.center);
      ctx.fillStyle = color;
      ctx.fillRect(cell.x, cell.y, side, side);
      if (annotate) {
        const diagonal = spec.outlineDiagonal && i === j;
        ctx.font = font(cellPx, diagonal);
        ctx.fillStyle = textColorOn(color);
        ctx.textAlign = "center";
        ctx.textBaseline = "middle";
        ctx.fillText(texts[i][j], cell.x + side / 2, cell.y + side / 2);
      }
      row.push(cell);
    }
    cells.push(row);
  }
  if (spec.outlineDiagonal) {
    ctx.strokeStyle = TEXT_COLOR;
    ctx.lineWidth = 2;
    for (let i = 0; i < Math.min(rows, columns); i += 1) {
      ctx.strokeRect(left + i * side + 1, top + i * side + 1, side - 2, side - 2);
    }
  }
  ctx.strokeStyle = TEXT_COLOR;
  ctx.lineWidth = 1;
  ctx.strokeRect(left, top, columns * side, rows * side);
  // ticks and labels
  ctx.fillStyle = TEXT_COLOR;
  ctx.font = font(px);
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  // axis labels thinned to every 2nd (3rd, ...) where cells are narrower than a label: never overlapping
  const rowEvery = Math.max(1, Math.ceil((px * 1.1) / side));
  spec.rowLabels.forEach((label, i) => {
    if (i % rowEvery === 0) ctx.fillText(label, left - 5, top + (i + 0.5) * side);
  });
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  const colWidest = Math.max(0, ...spec.colLabels.map((label) => ctx.measureText(label).width));
  const colEvery = Math.max(1, Math.ceil((colWidest + 4) / side));
  spec.colLabels.forEach((label, j) => {
    if (j % colEvery === 0) ctx.fillText(label, left + (j + 0.5) * side, top + rows * side + 4);
  });
  if (spec.title) {
    ctx.font = font(px * 1.15);
    ctx.textBaseline = "top";
    ctx.fillText(spec.title, left + (columns * side) / 2, box.y + 2);
  }
  ctx.font = font(px);
  if (spec.xLabel) {
    ctx.textBaseline = "top";
    ctx.fillText(spec.xLabel, left + (columns * side) / 2, top + rows * side + px * 1.5);
  }
  if (spec.yLabel) {
    ctx.save();
    ctx.translate(box.x + px * 0.2, top + (rows * side) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = "top";
    ctx.fillText(spec.yLabel, 0, 0);
    ctx.restore();
  }
  if (spec.colorbarLabel !== undefined) {
    drawColorbar(ctx, { x: left + columns * side + px, y: top, height: rows * side, tickTextWidth }, spec, px);
  }
  return { cells };
}

function drawColorbar(ctx, place, spec, px) {
  const [low, high] = spec.limits;
  const width = px * 0.9;
  const arrow = spec.extend ? width : 0;
  const height = place.height - 2 * arrow;
  const steps = spec.colormap.length;
  for (let k = 0; k < steps; k += 1) {
    ctx.fillStyle = spec.colormap[steps - 1 - k];
    ctx.fillRect(place.x, place.y + arrow + (k * height) / steps, width, height / steps + 0.5);
  }
  if (arrow) {
    for (const [color, tip, base] of [
      [spec.colormap[steps - 1], place.y, place.y + arrow],
      [spec.colormap[0], place.y + place.height, place.y + place.height - arrow],
    ]) {
      ctx.fillStyle = color;
      ctx.beginPath();
      ctx.moveTo(place.x + width / 2, tip);
      ctx.lineTo(place.x + width, base);
      ctx.lineTo(place.x, base);
      ctx.closePath();
      ctx.fill();
    }
  }
  ctx.strokeStyle = TEXT_COLOR;
  ctx.strokeRect(place.x, place.y + arrow, width, height);
  ctx.fillStyle = TEXT_COLOR;
  ctx.font = font(px);
  ctx.textAlign = "left";
  ctx.textBaseline = "middle";
  const ticks = spec.colorbarTicks || [low, (low + high) / 2, high];
  for (const tick of ticks) {
    const y = place.y + arrow + height * (1 - (tick - low) / (high - low));
    ctx.fillRect(place.x + width, y - 0.5, 4, 1);
    ctx.fillText(formatNumber(tick, 2), place.x + width + 6, y);
  }
  if (spec.colorbarLabel) {
    ctx.save();
    ctx.translate(place.x + width + 12 + place.tickTextWidth + px * 0.2, place.y + place.height / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.fillText(spec.colorbarLabel, 0, 0);
    ctx.restore();
  }
}

export function drawBars(ctx, box, spec) {
  const px = Math.max(12, spec.fontPx || 13);
  const count = spec.values.length;
  const titleHeight = spec.title ? px * 1.8 : 0;
  ctx.font = font(px);
  const tickTexts = (spec.ticks || []).map((tick) => spec.tickFormat ? spec.tickFormat(tick) : formatNumber(tick, 1));
  const tickWidth = Math.max(0, ...tickTexts.map((text) => ctx.measureText(text).width));
  const left = box.x + (spec.yLabel ? px * 1.5 : 0) + tickWidth + 8;
  const top = box.y + titleHeight + px * 1.3;
  const bottom = box.y + box.height - px * 1.8;
  const right = box.x + box.width - 4;
  const y = (value) => top + (bottom - top) * (spec.high - value) / (spec.high - spec.low);
  const slot = (right - left) / count;
  const zero = y(Math.min(spec.high, Math.max(spec.low, 0)));
  ctx.fillStyle = TEXT_COLOR;
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  (spec.ticks || []).forEach((tick, k) => {
    ctx.fillRect(left - 4, y(tick) - 0.5, 4, 1);
    ctx.fillText(tickTexts[k], left - 6, y(tick));
  });
  const bars = [];
  // value labels only when the widest fits its slot at 12 px or more; class labels thinned
  // to every 2nd (3rd, ...) where a slot is narrower than a label: nothing ever overlaps
  const labelPx = Math.max(12, Math.min(px, slot / 3.6));
  ctx.font = font(labelPx);
  const valueTexts = spec.format ? spec.values.map(spec.format) : [];
  const valuesFit = Math.max(0, ...valueTexts.map((text) => ctx.measureText(text).width)) <= slot - 2;
  ctx.font = font(px);
  const labelWidest = Math.max(0, ...spec.labels.map((text) => ctx.measureText(text).width));
  const labelEvery = Math.max(1, Math.ceil((labelWidest + 4) / slot));
  spec.values.forEach((value, k) => {
    const clipped = Math.min(spec.high, Math.max(spec.low, value));
    const x = left + slot * (k + 0.15);
    const bar = { x, y: Math.min(zero, y(clipped)), width: slot * 0.7, height: Math.abs(y(clipped) - zero) };
    ctx.fillStyle = spec.color;
    ctx.fillRect(bar.x, bar.y, bar.width, bar.height);
    ctx.strokeStyle = TEXT_COLOR;
    ctx.lineWidth = 1;
    if (bar.height > 0) ctx.strokeRect(bar.x, bar.y, bar.width, bar.height);
    bars.push(bar);
    if (spec.format && valuesFit) {
      // value labels: above a bar that rises, below one that falls, and clear of the
      // zero line (never on it) when the bar has no height
      ctx.fillStyle = TEXT_COLOR;
      ctx.textAlign = "center";
      const cellPx = labelPx;
      ctx.font = font(cellPx);
      if (value >= 0) {
        ctx.textBaseline = "bottom";
        ctx.fillText(spec.format(value), x + bar.width / 2, bar.y - 3);
      } else {
        ctx.textBaseline = "top";
        ctx.fillText(spec.format(value), x + bar.width / 2, Math.min(bar.y + bar.height + 3, bottom + 1 - cellPx));
      }
      ctx.font = font(px);
    }
  });
  ctx.fillStyle = TEXT_COLOR;
  ctx.fillRect(left, zero - 0.5, right - left, 1);
  ctx.fillRect(left - 0.5, top, 1, bottom - top);
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  spec.labels.forEach((label, k) => {
    // a thinned label wider than its slot stays inside the box
    const half = ctx.measureText(label).width / 2;
    if (k % labelEvery === 0) ctx.fillText(label, Math.min(left + slot * (k + 0.5), box.x + box.width - half - 1), bottom + 4);
  });
  if (spec.title) {
    // over the plot when it fits there, else over the whole box, in smaller type if need be
    // (never below 12 px): a title never runs into its neighbour's
    const titlePx = fittingFont(ctx, spec.title, box.width - 4, spec.titlePx || px * 1.15);
    const half = ctx.measureText(spec.title).width / 2;
    const centre = Math.min(Math.max((left + right) / 2, box.x + 2 + half), box.x + box.width - 2 - half);
    ctx.font = font(titlePx);
    ctx.fillText(spec.title, centre, box.y + 2);
    ctx.font = font(px);
  }
  if (spec.yLabel) {
    ctx.save();
    ctx.translate(box.x + px * 0.2, (top + bottom) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = "top";
    ctx.fillText(spec.yLabel, 0, 0);
    ctx.restore();
  }
  return { bars };
}
