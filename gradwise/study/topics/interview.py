"""The closing page: interview questions with short answers; every formula in them is derived here."""
from __future__ import annotations

import sympy as sp

from gradwise.derivations.derivation import differentiate
from gradwise.renderers.document import Paragraph, Section
from gradwise.study.registry import GuideContext, register
from gradwise.explainer.givens import N
from gradwise.study.worked import M, P, value_at


def _qa(number: int, question: str, *answer) -> list:
    return [Section(f"{number}. {question}", (Paragraph.of(*answer),))]


@register("interview", "Interview questions", 1000)
def build(ctx: GuideContext) -> list:
    sig = differentiate("sigmoid(x)", "x")
    x = sig.var
    top = value_at(sig.result, x, 0)
    relu = differentiate("relu(x)", "x")
    mse = differentiate("(w*x - y)^2 / 2", "w")
    lse = differentiate("logsumexp(a, b)", "a")
    chain = differentiate("sin(x^2)", "x")
    tanh = differentiate("tanh(x)", "x")
    D = sp.Derivative
    out: list = [P("Short answers; the formulas were derived and checked by gradwise for this page.")]
    qa = [
        ("What is the derivative of the sigmoid, and how large can it get?",
         M(D(sig.expr, x), sig.result), f", largest at x = 0, where it is ", M(top),
         ": deep sigmoid networks shrink gradients by at least that much per layer."),
        ("What is the derivative of ReLU, and what happens at 0?",
         M(D(relu.expr, relu.var), relu.result),
         ": 1 for positive inputs, 0 for negative ones; at 0 there is a corner and frameworks use 0."),
        ("What is the gradient of the squared error in w?",
         M(D(mse.expr, mse.var), mse.result), ": the error times the input."),
        ("Why is softmax the gradient of logsumexp?",
         M(D(lse.expr, lse.var), lse.result),
         ": so the gradient of cross-entropy through softmax is the probabilities minus the one-hot label."),
        ("State the chain rule with an example.",
         N(r"\frac{\mathrm{d}}{\mathrm{d}x} f(g(x)) = f'(g(x))\, g'(x)", "d/dx f(g(x)) = f′(g(x))·g′(x)"), "; for instance ", M(D(chain.expr, chain.var), chain.result), "."),
        ("Why does tanh usually train better than the sigmoid?",
         M(D(tanh.expr, tanh.var), tanh.result), " reaches 1 at 0 (the sigmoid's slope reaches only ", M(top),
         "), and tanh is centred on 0, so the next layer's inputs are not all positive."),
        ("Batch, stochastic or mini-batch gradient descent?",
         "Batch: exact gradient, one step per pass over the data. Stochastic: one example per step, "
         "cheap and noisy. Mini-batch: a few dozen examples, a good gradient estimate that uses "
         "vectorised hardware well; the usual choice."),
        ("What does momentum do?",
         "It adds a running average of past gradients to each step, which speeds up travel along "
         "consistent directions and damps oscillation across narrow valleys."),
        ("How are eigenvectors used in PCA?",
         "The eigenvectors of the data's covariance matrix, sorted by eigenvalue, are the principal "
         "directions; each eigenvalue is the variance along its direction."),
        ("What limits the learning rate of gradient descent on a quadratic loss?",
         "The Hessian's largest eigenvalue ", N(r"\lambda_{\max}", "λ_max"), ": the iteration converges only when "
         "the learning rate is below ", N(r"2/\lambda_{\max}", "2/λ_max"), "."),
        ("How do you check a gradient you derived by hand?",
         "Compare it with central finite differences ", N(r"\frac{f(x + h) - f(x - h)}{2h}", "(f(x + h) − f(x − h))/(2h)"),
         " at random points, in a random direction for many parameters; gradwise checks each step "
         "symbolically and at random points."),
        ("What is the gradient of softmax followed by cross-entropy?",
         N(r"\frac{\partial L}{\partial z_i} = p_i - y_i", "∂L/∂z_i = p_i − y_i"),
         ": the predicted probabilities minus the label (derived in its own chapter). It stays large while "
         "the prediction is wrong, unlike the squared error through a sigmoid."),
        ("What does Adam do differently from SGD with momentum?",
         "It keeps running means of the gradient ", N("m", "m"), " and of its square ", N("s", "s"),
         ", corrects both for starting at zero, and steps by ", N(r"\eta\, \hat m / (\sqrt{\hat s} + \epsilon)", "η·m̂/(√ŝ + ε)"),
         ": each parameter gets its own step size, large where gradients are small and steady, small where "
         "they are large or noisy."),
        ("What is weight decay, and how does it differ in Adam and AdamW?",
         "Adding ", N(r"\tfrac{\lambda}{2}\|w\|^{2}", "(λ/2)‖w‖²"), " to the loss adds ", N(r"\lambda w", "λw"),
         " to the gradient, so every step shrinks the weights towards 0 by the factor ", N(r"1 - \eta\lambda", "1 − ηλ"),
         ". In SGD the two are the same; in Adam the penalty's gradient is rescaled with the rest, so AdamW "
         "applies the shrinking to the weights directly, which regularises as intended."),
        ("Why does initialisation variance matter, and what do Xavier and He choose?",
         "Each layer multiplies the variance of its signal by about ", N(r"n_{\text{in}} \operatorname{Var}(w)", "n_in·Var(w)"),
         " (times the activation's gain), forward and, with ", N(r"n_{\text{out}}", "n_out"), ", backward. Keeping that "
         "factor at 1 keeps gradients from vanishing or exploding: Xavier (Glorot) uses ",
         N(r"\operatorname{Var}(w) = \frac{2}{n_{\text{in}} + n_{\text{out}}}", "Var(w) = 2/(n_in + n_out)"),
         " for tanh and sigmoid; He uses ", N(r"\operatorname{Var}(w) = \frac{2}{n_{\text{in}}}", "Var(w) = 2/n_in"),
         " for ReLU, which zeroes half its inputs."),
    ]
    for i, (question, *answer) in enumerate(qa, start=1):
        out += _qa(i, question, *answer)
    return out
