from django import template
from django.http import QueryDict

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    request = context.get("request")
    query: QueryDict = request.GET.copy() if request else QueryDict(mutable=True)
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.filter
def month_names(months) -> str:
    """[2, 9] -> 'februari, september' in the active language."""
    from django.utils.dates import MONTHS

    return ", ".join(str(MONTHS[m]) for m in months or [] if m in MONTHS)


@register.filter
def get_item(mapping, key):
    """{{ mapping|get_item:key }} — look up a key given by a variable."""
    if not mapping:
        return None
    return mapping.get(key)
