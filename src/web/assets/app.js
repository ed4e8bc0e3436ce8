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

  // A wide table scrolls sideways in its box: the box takes keyboard focus,
  // named after its table, so the arrow keys scroll it too (WCAG 2.1.1).
  document.querySelectorAll(".scroll, .scroll-x").forEach(function (box) {
    var caption = box.querySelector("caption");
    var heading = box.previousElementSibling;
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", caption ? caption.textContent
                     : heading && /^H[2-4]$/.test(heading.tagName) ? heading.textContent
                     : "Table");
  });

  // Print buttons (the governors' report).
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
  // The dashboard's weekly trend: uPlot, loaded only where a chart is. The
  // same figures are in the table beside it.
  var chart = document.getElementById("trend-chart");
  if (chart) {
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = "/static/uplot.min.css";
    document.head.appendChild(css);
    var lib = document.createElement("script");
    lib.src = "/static/uplot.iife.min.js";
    lib.onload = function () { drawTrend(chart, JSON.parse(chart.getAttribute("data-chart"))); };
    document.head.appendChild(lib);
  }
  function drawTrend(el, d) {
    var xs = d.weeks.map(function (w) { return Date.parse(w + "T12:00:00Z") / 1000; });
    var data = [xs, d.attendance];
    var series = [{}, { label: "Attendance %", stroke: "#0b5cad", width: 2,
                        points: { show: true, size: 5 } }];
    if (d.target != null) {
      data.push(xs.map(function () { return d.target; }));
      series.push({ label: "Target", stroke: "#1a7f37", dash: [6, 4], points: { show: false } });
    }
    if (d.national != null) {
      data.push(xs.map(function () { return d.national; }));
      series.push({ label: "National", stroke: "#8a5a00", dash: [2, 4], points: { show: false } });
    }
    var width = Math.max(280, el.clientWidth);
    var plot = new uPlot({ width: width, height: 240, series: series,
                           scales: { y: { range: function (u, lo, hi) {
                             return [Math.min(80, Math.floor(lo)), 100]; } } },
                           axes: [{}, { values: function (u, v) {
                             return v.map(function (x) { return x + "%"; }); } }] }, data, el);
    window.addEventListener("resize", function () {
      plot.setSize({ width: Math.max(280, el.clientWidth), height: 240 });
    });
  }
})();
