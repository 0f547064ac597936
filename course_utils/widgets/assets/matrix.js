// MatrixHeatmap's view (course_utils/widgets/canvas.py): any matrix, drawn by canvas.js's
// drawHeatmap from the model's traits, redrawn (once per animation frame) when one changes.
// Concatenated after canvas.js and softmax.js by course_utils/widgets/front_end.py.

const MATRIX_TRAITS = ["values", "row_labels", "col_labels", "limits", "center", "colormap",
  "decimals", "annotate", "outline_diagonal", "title", "x_label", "y_label", "colorbar_label",
  "width", "height", "font_px", "alt_text"];

function renderMatrix({ model, el }) {
  const root = document.createElement("div");
  root.className = "course-live course-matrix";
  const canvas = document.createElement("canvas");
  canvas.setAttribute("role", "img");
  root.append(canvas);
  el.append(root);
  let pending = false;
  let layout = {};
  const paint = () => {
    pending = false;
    const width = model.get("width");
    const height = model.get("height");
    const ctx = fitCanvas(canvas, width, height);
    const annotate = model.get("annotate");
    layout = drawHeatmap(ctx, { x: 0, y: 0, width, height }, {
      values: model.get("values"), rowLabels: model.get("row_labels"), colLabels: model.get("col_labels"),
      colormap: model.get("colormap"), limits: model.get("limits"), center: model.get("center") ?? undefined,
      decimals: model.get("decimals"), annotate: annotate === null ? undefined : annotate,
      outlineDiagonal: model.get("outline_diagonal"), title: model.get("title"), xLabel: model.get("x_label"),
      yLabel: model.get("y_label"), colorbarLabel: model.get("colorbar_label") ?? undefined, fontPx: model.get("font_px"),
    });
    canvas.setAttribute("aria-label", model.get("alt_text"));
  };
  const draw = () => { if (!pending) { pending = true; requestAnimationFrame(paint); } };
  for (const name of MATRIX_TRAITS) model.on(`change:${name}`, draw);
  root.courseFrame = () => ({ layout });
  paint();
}

export default { render: renderMatrix };
