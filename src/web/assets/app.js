// rollcall: keyboard shortcuts on the register, the register-close countdown,
// scrolling boxes and print buttons.
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
  // Today's register: its state and the minutes left, on the school's clock.
  // The page carries the server's time when it was made; the browser's clock
  // only measures the time since, so a computer whose clock is wrong (or a
  // school whose clock is set, as the demo's is) still counts right.
  var state = document.getElementById("register-state");
  if (state) {
    var offset = +state.getAttribute("data-now") - Date.now();
    var opens = +state.getAttribute("data-opens");
    var closes = +state.getAttribute("data-closes");
    var closeTime = state.getAttribute("data-close-time");
    var tick = function () {
      var now = Date.now() + offset;
      if (now < opens) return;  // the server's words stand: "Opens at 08:30"
      if (state.getAttribute("data-state") === "not-open") {
        // Drawn without buttons before it opened.
        state.textContent = "Open now: reload the page to take the register";
      } else if (now < closes) {
        var mins = Math.ceil((closes - now) / 60000);
        state.textContent = "Open: late arrivals until " + closeTime + " are L (" + mins + " min left)";
      } else {
        state.textContent = "Closed: late arrivals are U";
      }
    };
    tick();
    setInterval(tick, 15000);
  }

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

  // Print buttons (the governors' report, printed registers and class lists).
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
  // The dashboard's weekly trend: uPlot, loaded only where a chart is. The
  // same figures are in the table beside it.
  // Loaded from beside this file, so a school served under a path prefix
  // (/s/URN/static/...) loads its own copy.
  var chart = document.getElementById("trend-chart");
  if (chart) {
    var here = document.currentScript ? document.currentScript.src : "";
    var base = here ? here.replace(/[^\/]*$/, "") : "/static/";
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = base + "uplot.min.css";
    document.head.appendChild(css);
    var lib = document.createElement("script");
    lib.src = base + "uplot.iife.min.js";
    lib.onload = function () { drawTrend(chart, JSON.parse(chart.getAttribute("data-chart"))); };
    document.head.appendChild(lib);
  }
  function drawTrend(el, d) {
    var xs = d.weeks.map(function (w) { return Date.parse(w + "T12:00:00Z") / 1000; });
    var data = [xs, d.attendance];
    var months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                  "Dec"];
    // Weeks read as the pages write dates: "2 Sep".
    var dayMonth = function (seconds) {
      var at = new Date(seconds * 1000);
      return at.getUTCDate() + " " + months[at.getUTCMonth()];
    };
    var series = [{ label: "Week of" },
                  { label: "Attendance %", stroke: "#0b5cad", width: 2,
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
    // The legend names each line; without live values it never shows "--"
    // before the pointer is on the chart.
    var plot = new uPlot({ width: width, height: 240, series: series, legend: { live: false },
                           scales: { y: { range: function (u, lo, hi) {
                             return [Math.min(80, Math.floor(lo)), 100]; } } },
                           axes: [{ values: function (u, v) { return v.map(dayMonth); } },
                                  { values: function (u, v) {
                             return v.map(function (x) { return x + "%"; }); } }] }, data, el);
    window.addEventListener("resize", function () {
      plot.setSize({ width: Math.max(280, el.clientWidth), height: 240 });
    });
  }
})();
