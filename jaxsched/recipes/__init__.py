"""Published training schedules, one function each, with their sources.

``jaxsched.recipes.llama(version=2, size="7b")`` returns the Llama 2 schedule as an
ordinary jaxsched schedule: it jits, sweeps, prints, plots and saves like any other.
Each recipe's docstring gives its paper (authors, year, arXiv id, the section or
table of each number), the released config it was checked against (file and
commit), and the choice made where the paper and the config disagree. The paper's
numbers are the defaults; every one can be changed by keyword.

Arguments are in the units the recipe is defined in: ``total_steps``,
``steps_per_epoch``, and for token-defined recipes (GPT-3, Chinchilla, DeepSeek,
OLMo 2) ``tokens_per_step`` (a number) or ``batch_ramp`` (a schedule giving the
tokens seen before a step, such as :class:`~jaxsched.TokenClock`).

:func:`registry` lists them (name, one-line summary, shape, source); :func:`build`
returns a recipe with its run length in steps; ``jaxsched list`` shows them and
``jaxsched show --recipe NAME`` / ``jaxsched plot --recipe NAME`` draw one.
"""

from jaxsched.recipes._classic import bert as bert
from jaxsched.recipes._classic import palm as palm
from jaxsched.recipes._classic import roberta as roberta
from jaxsched.recipes._classic import t5 as t5
from jaxsched.recipes._classic import transformer as transformer
from jaxsched.recipes._language import chinchilla as chinchilla
from jaxsched.recipes._language import deepseek_llm as deepseek_llm
from jaxsched.recipes._language import deepseek_v2 as deepseek_v2
from jaxsched.recipes._language import deepseek_v2_ramp as deepseek_v2_ramp
from jaxsched.recipes._language import deepseek_v3 as deepseek_v3
from jaxsched.recipes._language import deepseek_v3_ramp as deepseek_v3_ramp
from jaxsched.recipes._language import gopher as gopher
from jaxsched.recipes._language import gpt3 as gpt3
from jaxsched.recipes._language import hagele_wsd as hagele_wsd
from jaxsched.recipes._language import kaplan as kaplan
from jaxsched.recipes._language import llama as llama
from jaxsched.recipes._language import minicpm as minicpm
from jaxsched.recipes._language import nanogpt as nanogpt
from jaxsched.recipes._language import olmo as olmo
from jaxsched.recipes._language import olmo2 as olmo2
from jaxsched.recipes._language import pythia as pythia
from jaxsched.recipes._registry import Recipe as Recipe
from jaxsched.recipes._registry import build as build
from jaxsched.recipes._registry import registry as registry
from jaxsched.recipes._vision import big_vision as big_vision
from jaxsched.recipes._vision import goyal_resnet50 as goyal_resnet50
from jaxsched.recipes._vision import one_cycle as one_cycle
from jaxsched.recipes._vision import sgdr as sgdr
from jaxsched.recipes._vision import vit as vit

__all__ = [
    "Recipe",
    "bert",
    "big_vision",
    "build",
    "chinchilla",
    "deepseek_llm",
    "deepseek_v2",
    "deepseek_v2_ramp",
    "deepseek_v3",
    "deepseek_v3_ramp",
    "gopher",
    "goyal_resnet50",
    "gpt3",
    "hagele_wsd",
    "kaplan",
    "llama",
    "minicpm",
    "nanogpt",
    "olmo",
    "olmo2",
    "one_cycle",
    "palm",
    "pythia",
    "registry",
    "roberta",
    "sgdr",
    "t5",
    "transformer",
    "vit",
]
