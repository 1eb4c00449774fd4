"""Form rendering in NL Design System markup, and small helpers shared by all forms."""

from __future__ import annotations

import copy
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.renderers import TemplatesSetting

M = TypeVar("M", bound=models.Model)

_WIDGET_CLASSES = {
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.SelectMultiple: "utrecht-select utrecht-select--html-select",
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
}
_TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


class StyledForm:
    """Mixin: gives every widget the component library's class."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            css = next(
                (c for cls, c in _WIDGET_CLASSES.items() if type(widget) is cls),
                None,
            )
            if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
                continue  # native inputs, styled in site.css (attrs would also hit the wrapper)
            if css is None and isinstance(widget, forms.widgets.Input):
                css = _TEXTBOX
            if css:
                existing = widget.attrs.get("class", "")
                widget.attrs["class"] = f"{existing} {css}".strip()


def detached(obj: M) -> M:
    """A copy for a ModelForm to validate, so the service still sees the old values (audit)."""
    return copy.copy(obj)


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form, on the field it names where possible."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def flash_errors(request, exc: ValidationError) -> None:
    """Show a service's ValidationError as messages on the next page (for buttons, not forms)."""
    from django.contrib import messages

    for message in exc.messages:
        messages.error(request, message)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def as_id(value: object) -> int | None:
    """A database id typed in a URL or a form (plain ASCII digits, 1 to 2**53), else None:
    `"²".isdigit()` is true, but `int("²")` fails, so `str.isdigit` alone is not enough."""
    text = str(value or "")
    if not (text.isascii() and text.isdigit()) or len(text) > 16:
        return None
    number = int(text)
    return number if 0 < number <= 2**53 else None
