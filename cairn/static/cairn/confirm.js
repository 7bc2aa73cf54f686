// Ask before a destructive form goes (see cairn/lib/confirm.py): a form marked
// data-confirm="question" opens the page's <dialog>; "yes" submits it again with
// confirmed=yes. Without this script the server asks on a page of its own.
(function () {
  "use strict";
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
      if (form.querySelector("input[name=confirmed]")) return;
      var dialog = document.getElementById("confirm-dialog");
      if (!dialog || typeof dialog.showModal !== "function") return;
      // Before htmx or the browser sends anything.
      event.preventDefault();
      event.stopImmediatePropagation();
      var submitter = event.submitter || null;
      document.getElementById("confirm-dialog-question").textContent = form.dataset.confirm;
      document.getElementById("confirm-dialog-yes").textContent =
        form.dataset.confirmButton || "Yes";
      dialog.returnValue = "";
      dialog.addEventListener(
        "close",
        function () {
          if (dialog.returnValue !== "yes") return;
          var yes = document.createElement("input");
          yes.type = "hidden";
          yes.name = "confirmed";
          yes.value = "yes";
          form.appendChild(yes);
          if (submitter && submitter.form === form) form.requestSubmit(submitter);
          else form.requestSubmit();
          // A form htmx does not replace asks again next time.
          window.setTimeout(function () { yes.remove(); }, 0);
        },
        { once: true }
      );
      dialog.showModal();
    },
    true
  );
})();
