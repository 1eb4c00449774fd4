// A form with data-confirm asks before it is sent ("Remove this person?"). A script file
// rather than an inline handler, so the Content Security Policy can forbid inline script.
document.addEventListener(
  "submit",
  (event) => {
    const form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  },
  true,
);
