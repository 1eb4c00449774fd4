from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from stagebrug.core.forms import StyledForm

PASSWORDS_DIFFER = _("The two passwords are not the same.")


class SignupForm(StyledForm, forms.Form):
    full_name = forms.CharField(
        label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 10 characters; not a common password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, fixed_email: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if fixed_email:
            self.fields["email"].initial = fixed_email
            self.fields["email"].disabled = True

    def clean(self):
        data = super().clean()
        if (
            data.get("password1")
            and data.get("password2")
            and data["password1"] != data["password2"]
        ):
            self.add_error("password2", PASSWORDS_DIFFER)
        return data


class LoginForm(StyledForm, AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class StyledPasswordResetForm(StyledForm, PasswordResetForm):
    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        from stagebrug.core.mail import queue_email

        queue_email(to=to_email, template="password_reset", context=context)


class StyledSetPasswordForm(StyledForm, SetPasswordForm):
    pass


class InvitationForm(StyledForm, forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person you invite"))
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, roles: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles


class ApiTokenForm(StyledForm, forms.Form):
    name = forms.CharField(
        label=_("Name of the token"),
        max_length=80,
        help_text=_("For example the system that will use it."),
    )


class EraseForm(StyledForm, forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This password is not correct."))
        return password


class SecondFactorCodeForm(StyledForm, forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_(
            "The 6 digits your authenticator app shows now, or one of your recovery codes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


class SecondFactorSetupForm(StyledForm, forms.Form):
    code = forms.CharField(
        label=_("The code your app shows now"),
        max_length=20,
        help_text=_("6 digits. A new code appears every 30 seconds."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class SecondFactorChangeForm(StyledForm, forms.Form):
    """A change to the second step itself asks for a current code from the app."""

    NEW_CODES = "new-codes"
    NEW_APP = "new-app"
    TURN_OFF = "turn-off"

    action = forms.ChoiceField(label=_("What do you want to do?"), widget=forms.RadioSelect)

    def __init__(self, *args, may_turn_off: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            (self.NEW_CODES, _("Make new recovery codes (the old ones stop working)")),
            (self.NEW_APP, _("Move to a new phone or app")),
        ]
        if may_turn_off:
            choices.append((self.TURN_OFF, _("Turn two-step verification off")))
        self.fields["action"].choices = choices

    code = forms.CharField(
        label=_("The code your app shows now"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )
