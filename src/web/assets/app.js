// rollcall: keyboard shortcuts on the register and the register-close countdown.
// Everything works without this file; it only saves keystrokes.
(function () {
  // In a register row: p = present, a = absent (N), l = late (uses the time box).
  document.addEventListener("keydown", function (e) {
    var row = e.target.closest && e.target.closest("tr[data-pupil]");
    if (!row || e.target.tagName === "INPUT" || e.target.tagName === "SELECT") return;
    var key = { p: "present", a: "absent", l: "late" }[e.key];
    if (!key) return;
    var button = row.querySelector("button[data-key='" + key + "']");
    if (button) { e.preventDefault(); button.click(); }
  });
  function tick() {
    document.querySelectorAll("[data-closes]").forEach(function (el) {
      var parts = el.getAttribute("data-closes").split(":");
      var now = new Date();
      var close = new Date(now.getFullYear(), now.getMonth(), now.getDate(), +parts[0], +parts[1]);
      var mins = Math.ceil((close - now) / 60000);
      el.textContent = mins > 0 ? mins + " min left" : "closed: late arrivals are now U";
    });
  }
  tick();
  setInterval(tick, 15000);
})();
