// Submission form: the funding amount and currency matter only when funding is asked.
(function () {
  "use strict";
  const form = document.querySelector(".exchange-form");
  if (!form) return;
  const funding = form.querySelector('input[name="asks"][value="funding"]');
  const row = form.querySelector("[data-funding]");
  if (!funding || !row) return;
  const sync = () => { row.hidden = !funding.checked; };
  funding.addEventListener("change", sync);
  sync();
})();
