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
