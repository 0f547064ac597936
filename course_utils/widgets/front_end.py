"""The explorers' browser code: ES modules and CSS shipped as package data in ``assets/``.

``canvas.js`` (drawing a heatmap of any matrix, bars, the number format) and ``softmax.js``
(σ, J, their checked properties, the naive softmax) are shared; each widget's module is
read after them into one ES module, which anywidget loads from the kernel (no CDN).
"""

from functools import cache
from importlib import resources

SHARED_MODULES = ("canvas.js", "softmax.js")


@cache
def asset_text(name):
    """The text of ``assets/<name>``, read once.

    Examples
    --------
    >>> "drawHeatmap" in asset_text("canvas.js")
    True
    """
    return resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


def esm(view_module):
    """One ES module: the shared modules, then ``view_module`` (which has the default export).

    Examples
    --------
    >>> source = esm("explorer.js")
    >>> source.count("export default")
    1
    """
    return "\n".join(asset_text(name) for name in (*SHARED_MODULES, view_module))
