"""FastSelect writes the same select as Django's Select, whatever the choices and the value."""

from __future__ import annotations

from django import forms
from django.test.html import parse_html
from hypothesis import given
from hypothesis import strategies as st

from stagebrug.core.forms import FastSelect

text = st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=12)
option = st.tuples(text, text)
group = st.tuples(text.filter(bool), st.lists(option, min_size=1, max_size=4))
choices = st.lists(st.one_of(option, group), max_size=8)


@given(choices=choices, value=text, required=st.booleans())
def test_the_same_html_as_django_s_select(choices, value, required):
    attrs = {"id": "id_f", "class": "utrecht-select", "aria-describedby": "id_f_helptext"}
    if required:
        attrs["required"] = True
    django_html = forms.Select(choices=choices).render("f", value, attrs)
    fast_html = FastSelect(choices=choices).render("f", value, attrs)
    assert parse_html(fast_html) == parse_html(django_html)


def test_a_chosen_option_is_selected_and_text_is_escaped():
    html = FastSelect(choices=[("", "Alle"), ("1", "A & <B>")]).render("f", "1")
    assert '<option value="1" selected>A &amp; &lt;B&gt;</option>' in html
