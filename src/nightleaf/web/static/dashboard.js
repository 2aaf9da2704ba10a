// Draws the dashboard's charts with the vendored uPlot; the data sit in #dash[data-series].
"use strict";
(function () {
  var root = document.getElementById("dash");
  if (!root || typeof uPlot === "undefined") return;
  var d = JSON.parse(root.getAttribute("data-series"));
  var C = { a: "#2c5a4c", b: "#6a4fb3", c: "#b3541e", d: "#1d4f91" };
  function pt(color) { return { show: true, size: 5, stroke: color, fill: color }; }
  function line(label, color, scale, opts) {
    var s = { label: label, stroke: color, width: 1.5, points: pt(color), spanGaps: false };
    if (scale) s.scale = scale;
    for (var k in (opts || {})) s[k] = opts[k];
    return s;
  }
  function clock(h) {  // hours after noon -> HH:MM
    if (h == null) return "—";
    var t = (h + 12) % 24, hh = Math.floor(t), mm = Math.round((t - hh) * 60);
    if (mm === 60) { hh = (hh + 1) % 24; mm = 0; }
    return (hh < 10 ? "0" : "") + hh + ":" + (mm < 10 ? "0" : "") + mm;
  }
  var dots = { stroke: null, width: 0 };
  var specs = {
    sleep: { series: [line("TST (h)", C.a, "h"), line("SE (%)", C.b, "%")],
             data: [d.tst_h, d.se], axes: [{ scale: "h", label: "hours" }, { scale: "%", side: 1, label: "%", grid: { show: false } }] },
    sol: { series: [line("SOL (min)", C.c, "min")], data: [d.sol], axes: [{ scale: "min", label: "minutes" }] },
    pain: { series: [line("Evening", C.c, "nrs"), line("Morning", C.d, "nrs")], data: [d.pain_evening, d.pain_morning],
            axes: [{ scale: "nrs", label: "NRS 0–10" }], scales: { nrs: { range: [0, 10] } } },
    intake: { series: [line("Grams", C.a, "g", dots), line("Last intake → trying to sleep (min)", C.b, "min", dots)],
              data: [d.grams, d.interval_min], axes: [{ scale: "g", label: "g" }, { scale: "min", side: 1, label: "min", grid: { show: false } }] },
    regularity: { series: [line("Lights out", C.b, "clk"), line("Final awakening", C.a, "clk")], data: [d.lights_out, d.wake],
                  axes: [{ scale: "clk", label: "clock", values: function (u, v) { return v.map(clock); } }],
                  fmt: clock },
    withwithout: { series: [line("TST, with kratom (h)", C.c, "h", dots), line("TST, without (h)", C.d, "h", dots)],
                   data: [d.tst_with, d.tst_without], axes: [{ scale: "h", label: "hours" }] }
  };
  var plots = [];
  root.querySelectorAll("[data-chart]").forEach(function (el) {
    var sp = specs[el.getAttribute("data-chart")];
    if (!sp) return;
    var series = [{}].concat(sp.series.map(function (s) {
      if (sp.fmt) s.value = function (u, v) { return clock(v); };
      return s;
    }));
    var axes = [{}].concat(sp.axes.map(function (a) { a.size = 50; return a; }));
    var opts = { width: Math.max(el.clientWidth, 260), height: 220, series: series, axes: axes,
                 scales: Object.assign({ x: { time: true } }, sp.scales || {}),
                 legend: { live: true }, cursor: { points: { size: 7 } } };
    var p = new uPlot(opts, [d.x].concat(sp.data), el);
    el.setAttribute("data-drawn", String(sp.data.reduce(function (n, col) {
      return n + col.filter(function (v) { return v != null; }).length; }, 0)));
    plots.push([p, el]);
  });
  var t;
  window.addEventListener("resize", function () {
    clearTimeout(t);
    t = setTimeout(function () { plots.forEach(function (pe) { pe[0].setSize({ width: Math.max(pe[1].clientWidth, 260), height: 220 }); }); }, 150);
  });
})();
