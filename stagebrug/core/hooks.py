"""Extension points: how a lower floor sets off, or asks something of, a higher one.

Imports run down the floors (`docs/architecture.md`). When a lower app must reach a higher one
(a company change that refreshes its placements, an accepted offer that creates an internship,
a data export that collects from every app), the lower app declares a hook in its `hooks.py`,
typed with the function it expects, and the higher app registers that function in its
`AppConfig.ready`. Unlike Django signals, the callers, the providers and their order are
explicit and can be read: `hook.providers` lists them, they run in registration order (the order
of INSTALLED_APPS, which is the floors' order), and a `Provider` that needs exactly one function
refuses a second one. A `Provider` nobody registered stops start-up with a system check that
names it.

    # placements/hooks.py (the lower floor declares what it calls, and with what)
    class PlacementEnded(Protocol):
        def __call__(self, *, placement: Placement, reason: str) -> object: ...

    placement_ended: Hook[PlacementEnded] = Hook("placements.placement_ended")

    # applications/apps.py (the higher floor registers its service)
    def ready(self):
        placement_ended.register(services.close_open_applications)

    # placements/services.py (the call: keyword arguments, as the Protocol says)
    placement_ended.call_each(placement=placement, reason=reason)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from django.core import checks
from django.http import HttpRequest

F = TypeVar("F", bound=Callable[..., Any])


class HookError(RuntimeError):
    """A hook used against its declaration (a second provider, or none where one is needed)."""


class Hook(Generic[F]):
    """Any number of functions, called in registration order by `call_each`."""

    declared: ClassVar[list[Hook]] = []

    def __init__(self, name: str) -> None:
        self.name = name
        self._providers: list[F] = []
        Hook.declared.append(self)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}: {len(self._providers)} provider(s)>"

    @property
    def providers(self) -> tuple[F, ...]:
        return tuple(self._providers)

    def register(self, fn: F) -> F:
        """Add `fn` (once: registering the same function again changes nothing)."""
        if fn not in self._providers:
            self._providers.append(fn)
        return fn

    def call_each(self, *args: Any, **kwargs: Any) -> list[Any]:
        """Call every provider with the same arguments; their results, in order."""
        return [fn(*args, **kwargs) for fn in self._providers]


class Provider(Hook[F]):
    """Exactly one function, registered by the floor that owns the answer."""

    def register(self, fn: F) -> F:
        if self._providers and self._providers[0] is not fn:
            raise HookError(
                f"{self.name} already has a provider ({_name(self._providers[0])}); "
                f"{_name(fn)} cannot be a second one."
            )
        return super().register(fn)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if not self._providers:
            raise HookError(f"Nothing provides {self.name}: is its app in INSTALLED_APPS?")
        return self._providers[0](*args, **kwargs)


def _name(fn: Callable) -> str:
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"


def check_providers(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """System check: every declared `Provider` has its function once all apps are ready."""
    return [
        checks.Error(
            f"Nothing provides the hook {hook.name}.",
            hint="The app above it registers a function in its AppConfig.ready; "
            "check INSTALLED_APPS.",
            id="stagebrug.E001",
        )
        for hook in Hook.declared
        if isinstance(hook, Provider) and not hook.providers
    ]


# --------------------------------------------------------------------------------------------
# The ground floor's own hooks


#: Values every page's template may show, for the logged-in person of the request (the unread
#: count in the header). Providers return a dict; make costly values lazy, so a fragment that
#: does not show them costs nothing.
class PageContext(Protocol):
    def __call__(self, request: HttpRequest) -> dict[str, Any]: ...


page_context: Hook[PageContext] = Hook("core.page_context")


class RecurringJob(Protocol):
    def __call__(self) -> object: ...


#: Jobs that run again and again (a daily reminder run, an hourly check): each provider is a
#: task that reschedules itself; `manage.py schedule_jobs` queues those not queued yet.
recurring_jobs: Hook[RecurringJob] = Hook("core.recurring_jobs")
