"""Checklist forms as data: the model and its strict loader."""

from .loader import FormError, FormProblem, builtin_forms, get_form, load_form, load_form_text
from .model import FormDefinition, Item, Scale, ScaleOption, Section

__all__ = [
    "FormDefinition", "FormError", "FormProblem", "Item", "Scale", "ScaleOption", "Section",
    "builtin_forms", "get_form", "load_form", "load_form_text",
]
