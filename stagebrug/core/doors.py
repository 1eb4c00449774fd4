"""Doors that hold: limits on how often one client may knock where a guess could get in.

Logging in is django-axes' job (settings.AXES_*): five wrong passwords for one e-mail address
from one client lock that pair out for 15 minutes. The other doors are counted here, in the
shared cache (the database by default, so every web process sees the same counts):

* asking for a password reset and creating an account: a few times an hour per client;
* links with a secret in them (an invitation, a signing link, a password reset link) and API
  tokens: every unknown secret counts against the client, and a client that guessed wrong too
  often is refused for a while, even with a right one.

A refused request gets 429 with a page (or, in the API, a JSON reason) in the user's language
that says what happened and how long to wait. Nothing here reads the content of the request
beyond the client's address and, for a password reset, the address typed in.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_ratelimit.core import get_usage


@dataclass(frozen=True)
class Door:
    name: str
    #: How many in how long, as django-ratelimit writes it: "10/h", "20/10m".
    rate: str
    #: What happened, in one sentence of the message.
    too_often: object

    @property
    def minutes(self) -> int:
        _count, period = self.rate.split("/")
        number = "".join(c for c in period if c.isdigit()) or "1"
        unit = {"s": 1 / 60, "m": 1, "h": 60, "d": 24 * 60}[period[-1]]
        return max(1, round(int(number) * unit))


PASSWORD_RESET = Door(
    "password-reset", "10/h", _("A new password was asked for too often from here.")
)
#: The same address, whoever asks: an inbox is not flooded with reset e-mails.
PASSWORD_RESET_ADDRESS = Door(
    "password-reset-address", "3/h", _("A new password was asked for too often from here.")
)
REGISTRATION = Door("registration", "20/h", _("Creating an account was tried too often from here."))
#: Unknown secrets in links (invitation, signing, password reset): a client that guesses.
LINK_GUESS = Door(
    "link-guess", "20/h", _("Too many links that do not exist were opened from here.")
)
#: Unknown API tokens.
TOKEN_GUESS = Door("token-guess", "20/10m", _("Too many unknown API tokens were sent from here."))


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind a load balancer (its addresses in TRUSTED_PROXIES, or "*"
    when nothing else can reach the web processes), the address it put last in
    X-Forwarded-For; otherwise the connection's own address."""
    remote = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"
    trusted = settings.TRUSTED_PROXIES
    anyone = "*" in trusted
    if not trusted or not (anyone or remote in trusted):
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed(forwarded):
        if address and (anyone or address not in trusted):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                break  # a forged or broken header: the balancer's own address is all we know
    return remote


def _client_key(group: str, request: HttpRequest) -> str:
    return client_ip(request)


def _shut_key(door: Door, request: HttpRequest) -> str:
    return f"doors:shut:{door.name}:{client_ip(request)}"


def is_shut(request: HttpRequest, door: Door) -> bool:
    """Whether this client has used up the door for now. One cache read, no write: it is
    asked on every request through a door (an API call with a token included)."""
    if not settings.RATELIMIT_ENABLE:
        return False
    return cache.get(_shut_key(door, request)) is not None


def knock(request: HttpRequest, door: Door, *, by: str | None = None) -> bool:
    """Count one use of the door by this client (or by `by`, such as an e-mail address) and
    say whether it is one too many; the client's door stays shut for a full period then."""
    key = (lambda group, request: by) if by is not None else _client_key
    usage = get_usage(request, group=door.name, key=key, rate=door.rate, increment=True)
    if not usage:
        return False
    if by is None and usage["count"] >= usage["limit"]:
        cache.set(_shut_key(door, request), True, door.minutes * 60)
    return bool(usage["should_limit"])


def message(door: Door) -> str:
    minutes = door.minutes
    wait = ngettext(
        "For your safety this is paused: please try again in at most %(minutes)s minute.",
        "For your safety this is paused: please try again in at most %(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}
    return f"{door.too_often} {wait}"


def refused(request: HttpRequest, door: Door) -> HttpResponse:
    """The page a client sees when a door is shut: 429, what happened, how long to wait."""
    response = render(
        request, "too_many.html", {"message": message(door), "door": door}, status=429
    )
    response["Retry-After"] = str(door.minutes * 60)
    return response
