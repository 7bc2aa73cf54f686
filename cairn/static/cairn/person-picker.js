// People pickers (cairn/people/pickers.py): a <select data-person-picker="/people/pick/">
// lists only the people you work with; with this script it becomes a tom-select that
// asks the server for anyone else of your organisation as you type (two letters at
// least), and the no-JavaScript search beside it goes away.
(function () {
  "use strict";

  function text(person) {
    return person.hint ? person.name + " · " + person.hint : person.name;
  }

  function enhance(select) {
    if (select.tomselect || typeof window.TomSelect !== "function") return;
    var url = select.getAttribute("data-person-picker");
    var search = select.parentElement
      ? select.parentElement.querySelector("[data-picker-search]")
      : null;
    new window.TomSelect(select, {
      maxOptions: 50,
      // One person: the list closes once they are chosen (and a late answer from
      // the server does not open it again over the form's button).
      closeAfterSelect: true,
      allowEmptyOption: true,
      loadThrottle: 250,
      shouldLoad: function (query) {
        return query.trim().length >= 2;
      },
      load: function (query, callback) {
        fetch(url + "?q=" + encodeURIComponent(query), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        })
          .then(function (response) {
            return response.ok ? response.json() : { results: [] };
          })
          .then(function (data) {
            callback(
              data.results.map(function (person) {
                return { value: person.code, text: text(person) };
              })
            );
          })
          .catch(function () {
            callback();
          });
      },
      render: {
        no_results: function () {
          return '<div class="no-results">Nobody found. Type at least two letters of a name.</div>';
        },
      },
    });
    // Tom Select points the label at its own combobox; the select it keeps for the
    // form stays out of the way of screen readers, or they would hear two.
    select.setAttribute("aria-hidden", "true");
    if (search) search.hidden = true;
  }

  function enhanceAll(root) {
    var selects = (root || document).querySelectorAll("select[data-person-picker]");
    Array.prototype.forEach.call(selects, enhance);
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhanceAll(document);
  });
  document.addEventListener("htmx:load", function (event) {
    enhanceAll(event.target);
  });
})();
