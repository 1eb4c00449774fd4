// "Choose" buttons in the advice panel tick the programme's checkbox in the form.
document.addEventListener("click", function (event) {
  var button = event.target.closest(".sb-choose");
  if (!button) return;
  var box = document.getElementById("programme-" + button.dataset.programme);
  if (!box) return;
  box.checked = true;
  var group = box.closest("details");
  if (group) group.open = true;
  box.dispatchEvent(new Event("change", { bubbles: true }));
  box.focus();
});

// W21: a duo placement counts its MBO and HBO seats instead of positions.
function sbShowDuoFields() {
  var duo = document.getElementById("id_is_duo");
  if (!duo) return;
  document.querySelectorAll("[data-duo-only]").forEach(function (el) { el.hidden = !duo.checked; });
  document.querySelectorAll("[data-solo-only]").forEach(function (el) { el.hidden = duo.checked; });
}
document.addEventListener("change", function (event) {
  if (event.target.id === "id_is_duo") sbShowDuoFields();
});
document.addEventListener("DOMContentLoaded", sbShowDuoFields);
