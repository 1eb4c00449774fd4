"""Form rendering in NL Design System markup, and small helpers shared by all forms."""

from __future__ import annotations

import copy
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.renderers import TemplatesSetting
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

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


class FastSelect(forms.Select):
    """A select whose options are written in Python, not each through the template engine:
    the same HTML as Django's Select, for lists of dozens to thousands of options (the search
    page's programmes made it three times slower than the API call that runs the same
    search)."""

    def render(self, name, value, attrs=None, renderer=None) -> str:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _index in widget["optgroups"]:
            html = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (o["value"], mark_safe(" selected") if o["selected"] else "", o["label"])
                    for o in options
                ),
            )
            parts.append(
                format_html('<optgroup label="{}">{}</optgroup>', group_name, html)
                if group_name
                else html
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            mark_safe("".join(parts)),
        )


_WIDGET_CLASSES[FastSelect] = _WIDGET_CLASSES[forms.Select]
