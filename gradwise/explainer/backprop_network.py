"""Network results explained: one parameter's gradient path by path (`weight_gradient`), and gradient
norms through deep networks (`gradient_flow`). Every number is one the simulation computed and checked."""
from __future__ import annotations

import math
import re

import sympy as sp

from gradwise.explainer.backprop_parts import factor_latex, factor_text, figure, name_latex, num, num_latex, sci
from gradwise.explainer.givens import N
from gradwise.explainer.registry import explains
from gradwise.printing import latex, unicode
from gradwise.simulations.vanishing import GradientFlow
from gradwise.simulations.weight_paths import WeightGradient
from gradwise.renderers.document import Answer, DisplayMath, Document, Math, Paragraph, Section, Step, Table


# ----------------------------------------------------------------------------------------------------
# One parameter

@explains(WeightGradient)
def explain_weight(w: WeightGradient, detail: str = "standard") -> Document:
    net, l = w.network, w.layer
    name = w.parameter
    blocks: list = [Paragraph.of(
        f"The network has layer sizes {net.sizes}, activations {', '.join(net.activation_names)} and the "
        f"{net.loss_name.replace('_', ' ')} loss, with {len(w.example_terms)} "
        f"example{'s' if len(w.example_terms) != 1 else ''}. Layer l computes ",
        N(r"z_l = a_{l-1} W_l + b_l", "z_l = a_(l−1) W_l + b_l"), " and ",
        N(r"a_l = \operatorname{act}_l(z_l)", "a_l = act_l(z_l)"), ", with ", N("a_0 = X", "a_0 = X"), "; ",
        N(r"\delta_l = \partial L/\partial z_l", "δ_l = ∂L/∂z_l"),
        " is the gradient that arrives at layer l's pre-activations.")]
    sections = [("Local derivatives, derived once and compiled", _local_blocks(net)),
                ("The chain rule, from scalars to matrices", _vectorised_blocks(w, detail)),
                ("The sum over paths", _path_blocks(w)), ("The sum over the batch", _batch_blocks(w))]
    if detail == "brief":
        sections = sections[2:]
    for k, (title, content) in enumerate(sections, start=1):
        blocks.append(Section(f"{k}. {title}", content))
    sum_ad = N(r"\sum_n a\,\delta", "Σ_n a·δ")
    blocks.append(Paragraph.of(
        "Checked: ", sum_ad, f" and the sum over all {w.path_count} path{'s' if w.path_count != 1 else ''} of every "
        "example both equal the backward pass's value to within 10⁻⁹.") if w.path_sum is not None else Paragraph.of(
        "Checked: ", sum_ad, f" equals the backward pass's value to within 10⁻⁹ (the {w.path_count:,} paths are "
        "too many to add one by one, which is why backpropagation exists)."))
    fd = w.finite_differences
    if fd is not None:
        blocks.append(Paragraph.of(
            f"Gradient check: every one of the {fd.parameters} parameters against the 4-point central difference "
            "(step ", sci(fd.step), "): largest relative error ", sci(fd.max_relative_error, 2), f" (at {fd.worst}), "
            "largest absolute error ", sci(fd.max_absolute_error, 2),
            f"{'' if fd.passed else ' — this is too large; a kink of relu near the point can cause it'}."))
    else:
        blocks.append(Paragraph.of("Gradient check: skipped, the network and data are too large for a finite "
                                   "difference per parameter here; use Network.gradient_check in Python."))
    blocks.append(Answer.of(_equals(("L", name), w.value), "."))
    return Document(f"∂L/∂{name} by the chain rule", tuple(blocks), data=weight_contract(w),
                    answer=None)


def _equals(derivative: tuple[str, str], value: float) -> N:
    """∂top/∂bottom = value, typeset."""
    top, bottom = derivative
    return N(rf"\partial {name_latex(top)}/\partial {name_latex(bottom)} = {num_latex(value)}",
             f"∂{top}/∂{bottom} = {num(value)}")


def _local_blocks(net) -> tuple:
    out: list = []
    for act in dict((a.name, a) for a in net.acts).values():
        d = act.derivation
        line = [f"{act.name}: ", Math.chain(sp.Derivative(act.definition, d.var), act.derivative)]
        if act.in_output != act.derivative:
            line += [", with a = ", Math.chain(act.definition), ": ", Math.chain(act.in_output)]
        if act.convention:
            line.append(f" ({act.convention})")
        line.append(f" [{d.orders[0].tree.rule} rule]")
        out.append(Paragraph.of(*line))
    loss = net.loss_fn
    if loss.name == "cross_entropy":
        out.append(Paragraph.of(
            "Cross-entropy: the loss of one example is ",
            N(r"-\log \operatorname{softmax}_y(z) = \operatorname{logsumexp}(z) - z_y",
              "−log softmax_y(z) = logsumexp(z) − z_y"), ", and the engine derives ",
            Math.chain(sp.Derivative(loss.definition, loss.derivations[0].var), loss.derivations[0].result),
            f" for every class k and label y of a {int(math.isqrt(len(loss.derivations)))}-class instance: "
            "its derivative in ", N("z_k", "z_k"), " is ", N("p_k - [k = y]", "p_k − [k = y]"), ", that is ",
            N(r"p - \operatorname{onehot}(y)", "p − onehot(y)"), "; averaged over the batch, ",
            N(r"\partial L/\partial z = (p - \operatorname{onehot}(y))/N", "∂L/∂z = (p − onehot(y))/N"),
            "."))
    else:
        reduction = {"mse": "averaged over all N·K elements", "half_sse": "summed",
                     "output": "summed (y unused)"}[loss.name]
        out.append(Paragraph.of(f"{loss.name}: ", Math.chain(sp.Derivative(loss.definition, loss.derivations[0].var),
                                                             loss.gradient_formula), f", {reduction}."))
    out.append(Paragraph.of("Each formula is compiled once with lambdify into vectorised NumPy; the backward "
                            "pass calls the compiled functions layer by layer."))
    return tuple(out)


def _vectorised_blocks(w, detail: str) -> tuple:
    f = w.facts
    out: list = [Paragraph.of("Write one layer with two inputs and two outputs in scalars, ",
                              N(r"z_k = a_1 W_{1k} + a_2 W_{2k} + b_k", "z_k = a_1 W_1k + a_2 W_2k + b_k"),
                              ", and let the engine differentiate it:")]
    for key in ("dz1/dW11", "dz2/dW11", "dz1/db1", "dz1/da2", "dz2/da2"):
        d = f[key]
        out.append(DisplayMath(Math.chain(sp.Derivative(d.expr, d.var), d.result)))
    out.append(Paragraph.of(
        "So a weight ", N("W_l[i,j]", "W_l[i,j]"), " reaches the loss only through ", N("z_l[n,j]", "z_l[n,j]"),
        " (one output), with ",
        N(r"\partial z_l[n,j]/\partial W_l[i,j] = a_{l-1}[n,i]", "∂z_l[n,j]/∂W_l[i,j] = a_(l−1)[n,i]"),
        "; summing over the examples, ",
        N(r"\partial L/\partial W_l[i,j] = \sum_n a_{l-1}[n,i]\,\delta_l[n,j]",
          "∂L/∂W_l[i,j] = Σ_n a_(l−1)[n,i] δ_l[n,j]"),
        ", which is entry (i, j) of ", N(r"a_{l-1}^{\top} \delta_l", "a_(l−1)ᵀ δ_l"), ". A bias has ",
        N(r"\partial z/\partial b = 1", "∂z/∂b = 1"), ", so ",
        N(r"\partial L/\partial b_l = \sum_n \delta_l[n]", "∂L/∂b_l = Σ_n δ_l[n]"), "."))
    out.append(Paragraph.of(
        "Unit j of layer l reaches the loss through every unit k of layer l + 1, with ",
        N(r"\partial z_{l+1}[k]/\partial a_l[j] = W_{l+1}[j,k]", "∂z_(l+1)[k]/∂a_l[j] = W_(l+1)[j,k]"),
        " and ", N(r"\partial a_l[j]/\partial z_l[j] = \operatorname{act}'_l(z_l[j])",
                   "∂a_l[j]/∂z_l[j] = act_l′(z_l[j])"),
        "; the multivariable chain rule adds the routes: ",
        N(r"\delta_l[j] = \sum_k \delta_{l+1}[k]\, W_{l+1}[j,k]\, \operatorname{act}'_l(z_l[j])",
          "δ_l[j] = Σ_k δ_(l+1)[k] W_(l+1)[j,k] act_l′(z_l[j])"),
        ", which is entry j of ",
        N(r"\left(\delta_{l+1} W_{l+1}^{\top}\right) \odot \operatorname{act}'_l(z_l)",
          "(δ_(l+1) W_(l+1)ᵀ) ⊙ act_l′(z_l)"), "."))
    if w.identity_checked:
        out.append(Paragraph.of(
            "Checked symbolically: on a 2-2-2 network with an arbitrary activation f and an arbitrary loss ",
            N(r"\varphi(a_2)", "φ(a_2)"), f", SymPy's derivative of φ with respect to each of the "
            f"{w.identity_checked} weights and biases equals ", N(r"a_{l-1}[i]\,\delta_l[j]", "a_(l−1)[i] δ_l[j]"),
            " (or ", N(r"\delta_l[j]", "δ_l[j]"), ") with ",
            N(r"\delta_2 = \nabla\varphi \odot f'(z_2)", "δ_2 = ∇φ ⊙ f′(z_2)"), " and ",
            N(r"\delta_1 = \left(\delta_2 W_2^{\top}\right) \odot f'(z_1)", "δ_1 = (δ_2 W_2ᵀ) ⊙ f′(z_1)"), "."))
    return tuple(out)


def _path_blocks(w) -> tuple:
    net, l = w.network, w.layer
    L = len(net.weights)
    z = (rf"z_{{{l}}}[{w.column}]", f"z{l}[{w.column}]")
    delta = N(rf"\delta_{{{l}}}[n,{w.column}] = \partial L/\partial {z[0]}",
              f"δ{l}[n,{w.column}] = ∂L/∂{z[1]}")
    head = [delta, f" is a sum over the {w.path_count:,} path{'s' if w.path_count != 1 else ''} from ",
            N(*z), " to the loss, one unit in each later layer; each path contributes the product of the local "
            "derivatives along it. For example n = 0:"]
    if l == L:
        head = [N(*z), " is an output of the last layer, so one path leads to the loss: ",
                N(rf"\delta_{{{l}}}[n,{w.column}] = \operatorname{{act}}'(z)\, \partial L/\partial a",
                  f"δ{l}[n,{w.column}] = act′(z) · ∂L/∂a"), ". For example n = 0:"]
    out: list = [Paragraph.of(*head)]
    for i, p in enumerate(w.paths, start=1):
        tex = " = ".join([r" \cdot ".join(factor_name_latex(n) for n, _ in p.factors),
                          r" \cdot ".join(factor_latex(v) for _, v in p.factors), num_latex(p.product)])
        text = " = ".join([" · ".join(n for n, _ in p.factors), " · ".join(factor_text(v) for _, v in p.factors),
                           num(p.product)])
        out.append(Step(str(i), f"through units {' → '.join(map(str, p.units))}", "path", None,
                        explanation=Paragraph.of(N(tex, text))))
    if w.path_count > len(w.paths):
        out.append(Paragraph.of(f"… and {w.path_count - len(w.paths):,} more paths."))
    value = w.example_terms[0][1]
    out.append(Paragraph.of("Their sum is ", N(rf"\delta_{{{l}}}[0,{w.column}] = {num_latex(value)}",
                                                f"δ{l}[0,{w.column}] = {num(value)}"),
                            ", the value the backward pass computes with one matrix product per layer instead of "
                            "one product per path."))
    return tuple(out)


def _batch_blocks(w) -> tuple:
    l = w.layer
    if w.kind_of == "W":
        first = N(rf"a_{{{l - 1}}}[n,{w.row}]", f"a{l - 1}[n,{w.row}]")
    else:
        first = N(r"\partial z/\partial b", "∂z/∂b")
    delta = N(rf"\delta_{{{l}}}[n,{w.column}]", f"δ{l}[n,{w.column}]")
    rows = tuple((str(n), num(a), num(d), num(a * d)) for n, (a, d) in enumerate(w.example_terms[:8]))
    out: list = [Table(("n", first, delta, "product"), rows)]
    if len(w.example_terms) > 8:
        out.append(Paragraph.of(f"… {len(w.example_terms) - 8} more examples."))
    top = rf"\partial L/\partial {name_latex(w.parameter)}"
    out.append(Paragraph.of(N(rf"{top} = \sum_n {first.latex}\, {delta.latex} = {num_latex(w.value)}",
                              f"∂L/∂{w.parameter} = Σ_n {first.text}·{delta.text} = {num(w.value)}")))
    return tuple(out)


_PRIME = re.compile(r"^(\w+)'\(([A-Za-z]+\d+(?:\[[\d,]+\])?)\)$")
_DL = re.compile(r"^∂L/∂([A-Za-z]+\d+(?:\[[\d,]+\])?)$")


def factor_name_latex(name: str) -> str:
    """A path factor's name as the simulation writes it (tanh'(z1[1]), W2[1,0], ∂L/∂a2[0]) as LaTeX."""
    m = _PRIME.match(name)
    if m:
        return rf"\operatorname{{{m.group(1)}}}'({name_latex(m.group(2))})"
    m = _DL.match(name)
    if m:
        return rf"\partial L/\partial {name_latex(m.group(1))}"
    if re.fullmatch(r"[A-Za-z]+\d*(?:\[[\d,]+\])?", name):
        return name_latex(name)
    return rf"\text{{{name}}}"


def weight_contract(w) -> dict:
    net = w.network
    return {
        "kind": "weight_gradient", "parameter": w.parameter, "layer": w.layer,
        "row": None if w.kind_of == "b" else w.row, "column": w.column, "value": w.value,
        "loss": w.gradients.loss,
        "network": {"sizes": net.sizes, "activations": net.activation_names, "loss": net.loss_name},
        "local_derivatives": {a.name: {"derivative": str(a.derivative), "in_output": str(a.in_output),
                                       "derivative_latex": latex(a.derivative)} for a in net.acts},
        "loss_gradient": str(net.loss_fn.gradient_formula),
        "examples": [{"input": a, "delta": d, "product": a * d} for a, d in w.example_terms],
        "paths": {"count": w.path_count, "sum": w.path_sum,
                  "shown": [{"units": list(p.units), "factors": [{"name": n, "value": v} for n, v in p.factors],
                             "product": p.product} for p in w.paths]},
        "facts": {k: str(d.result) for k, d in w.facts.items()},
        "recursion_checked_symbolically_on": w.identity_checked,
        "gradient_check": None if w.finite_differences is None else {
            "max_relative_error": w.finite_differences.max_relative_error,
            "max_absolute_error": w.finite_differences.max_absolute_error,
            "worst": w.finite_differences.worst, "parameters": w.finite_differences.parameters,
            "step": w.finite_differences.step},
    }


# ----------------------------------------------------------------------------------------------------
# Gradient norms through depth

def _label(run, inits: int) -> str:
    return f"{run.activation}/{run.init}" if inits > 1 else run.activation


@explains(GradientFlow)
def explain_flow(flow: GradientFlow, detail: str = "standard") -> Document:
    inits = len({r.init for r in flow.runs})
    L = flow.depth
    blocks: list = [Paragraph.of(
        f"Given: {L} layers of {flow.width} units, a batch of {flow.batch} standard normal inputs, mean squared error "
        f"against standard normal targets, seed {flow.seed}. One backward pass per network; ", _GRAD_NORM,
        " is the Frobenius norm of layer l's weight gradient. Going back one layer multiplies δ by ",
        N(r"W_l^{\mathsf T}", "W_lᵀ"), " and, elementwise, by the activation's derivative ",
        N(r"f'(z_l)", "f′(z_l)"), ".")]
    step = 1 if L <= 30 or detail == "full" else max(1, L // 20)
    layers = sorted(set(range(1, L + 1, step)) | {L})
    blocks.append(Table(("layer",) + tuple(_label(r, inits) for r in flow.runs),
                        tuple((str(l),) + tuple(sci(r.layer_norms[l - 1]) for r in flow.runs) for l in layers),
                        caption="The norm of each layer's weight gradient (layer 1 is the farthest from the loss)"))
    for r in flow.runs:
        blocks.append(Paragraph.of(*_run_words(r, L, detail)))
    cf = flow.closed_form
    if cf:
        worst = max(abs(m - c) / abs(c) for m, c in zip(cf["measured"], cf["closed_form"]))
        blocks.append(Section("The closed form: every pre-activation zero", (Paragraph.of(
            f"A chain of {L} sigmoid units with weight w = {num(cf['w'])}, input 0 and biases −w/2 keeps every "
            f"z at 0 (the largest |z| in the run is {num(cf['max_abs_pre_activation'])}), where ",
            N(r"\sigma'(0) = \tfrac{1}{4}", "σ′(0) = 1/4"), "; each layer back multiplies the gradient by ",
            N(r"w\,\sigma'(0) = \tfrac{w}{4}", "w·σ′(0) = w/4"), ", so ",
            N(r"\frac{\partial L}{\partial b_l} = \frac{1}{4} \left(\frac{w}{4}\right)^{L - l}", "∂L/∂b_l = (1/4)(w/4)^(L−l)"),
            ". Measured ", N(r"\frac{\partial L}{\partial b_1}", "∂L/∂b₁"), " = ", sci(cf['measured'][0], 6), ", closed form ",
            N(rf"\frac{{1}}{{4}} \left(\frac{{w}}{{4}}\right)^{{{L - 1}}}", f"(1/4)(w/4)^{L - 1}"),
            " = ", sci(cf['closed_form'][0], 6),
            *(("; the largest relative difference over the layers is ", sci(worst, 2), ".") if detail == "full" else
              (" (the same at every layer).",) if worst < 1e-9 else ("; they agree to ", sci(worst, 1), "."))),)))
    if flow.plot_file:
        blocks.append(figure(flow.plot_file, "Gradient norm per layer, log scale"))
    return Document(f"Gradient norms through {L} layers", tuple(blocks), data=flow_contract(flow))


_GRAD_NORM = N(r"\left\| \frac{\partial L}{\partial W_l} \right\|", "‖∂L/∂W_l‖")


def _run_words(r, L: int, detail: str = "standard") -> tuple:
    """What one run shows, as paragraph parts (formulas typeset)."""
    ratio = r.ratio
    verdict = ("vanished" if ratio < 1e-2 else "exploded" if ratio > 1e2 else "stayed within a factor of 100")
    bound = float(r.bound)
    lo, hi = min(r.mean_derivative), max(r.mean_derivative)
    act = r"\operatorname{" + r.activation + "}"
    parts: list = [f"{r.activation} ({r.init} init): ",
                   N(rf"\left\|\frac{{\partial L}}{{\partial W_1}}\right\| \big/ "
                     rf"\left\|\frac{{\partial L}}{{\partial W_{{{L}}}}}\right\|", f"‖∂L/∂W₁‖/‖∂L/∂W_{L}‖"),
                   " = ", sci(ratio), f", so the gradient {verdict} on the way back. Its derivative is at most ",
                   Math.chain(r.bound), f" (reached at {r.bound_at})"]
    if bound < 1 and L > 1:
        parts += [", so the activations alone multiply the gradient by at most ",
                  N(rf"\left({latex(r.bound)}\right)^{{{L - 1}}}", f"({unicode(r.bound)})^{L - 1}"),
                  " = ", sci(bound ** (L - 1)), f" over {L - 1} layers"]
    parts += [". In this run the mean of ", N(rf"{act}'(z)", f"{r.activation}′(z)"),
              " per layer was between ", sci(lo), " and ", sci(hi), ", ", N(r"\|W_l\|_2", "‖W_l‖₂"),
              " between ", sci(min(r.weight_gain)), " and ", sci(max(r.weight_gain)), ", and going back one layer "
              f"{'shrank' if r.factor_per_layer < 1 else 'grew'} ", N(r"\|\delta\|", "‖δ‖"),
              " by a factor of ", sci(r.factor_per_layer), " on average."]
    return tuple(parts)


def flow_contract(flow) -> dict:
    return {
        "kind": "gradient_flow", "depth": flow.depth, "width": flow.width, "batch": flow.batch,
        "seed": flow.seed, "loss": "mse",
        "runs": [{"activation": r.activation, "init": r.init, "layer_norms": list(r.layer_norms),
                  "delta_norms": list(r.delta_norms), "mean_derivative": list(r.mean_derivative),
                  "weight_norms": list(r.weight_gain), "derivative_bound": str(r.bound),
                  "derivative_bound_latex": latex(r.bound), "bound_at": r.bound_at,
                  "ratio_first_to_last": r.ratio, "factor_per_layer": r.factor_per_layer} for r in flow.runs],
        "closed_form": flow.closed_form, "plot_file": flow.plot_file or None,
    }


def flow_picture(flow) -> dict:
    """Arguments for the renderer's `draw_series`: one line per run, norms on a log scale."""
    from gradwise.renderers.graph_plot import Series
    inits = len({r.init for r in flow.runs})
    series = [Series(_label(r, inits), tuple(range(1, flow.depth + 1)), r.layer_norms) for r in flow.runs]
    return {"series": series, "title": f"‖∂L/∂Wₗ‖ through {flow.depth} layers of {flow.width} units",
            "xlabel": "layer l (1 = farthest from the loss)", "ylabel": "gradient norm (log scale)"}
