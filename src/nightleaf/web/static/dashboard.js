// Draws the dashboard's charts with the vendored uPlot; the data sit in #dash[data-series].
"use strict";
(function () {
  var root = document.getElementById("dash");
  if (!root || typeof uPlot === "undefined") return;
  var d = JSON.parse(root.getAttribute("data-series"));
  var weekly = root.getAttribute("data-view") === "week";
  // the hover label names the night (or the week's nights), from the server: "Tue 11 Nov"
  function night(u, ts, si, i) { return i == null || d.label[i] == null ? "—" : d.label[i]; }
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
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  function days(u, vals) {  // axis ticks as "28 Oct" (not the locale's 10/28)
    return vals.map(function (v) { var t = new Date(v * 1000); return t.getDate() + " " + MONTHS[t.getMonth()]; });
  }
  var dots = { stroke: null, width: 0 };
  var faint = { width: 1, points: { show: true, size: 3 } };
  function mean(label, color, scale) {  // the 7-night trailing mean, drawn over the nights
    return line(label + (weekly ? "" : ", 7-night mean"), color, scale, { width: 2.5, points: { show: false }, spanGaps: true });
  }
  function pair(label, color, scale, col) {  // nights faint + their 7-night mean; weekly: means only
    if (weekly) return [[line(label + ", weekly mean", color, scale)], [d[col]]];
    return [[line(label, color, scale, faint), mean(label, color, scale)], [d[col], d[col + "_7"]]];
  }
  function spec(pairs, axes, more) {
    var s = { series: [], data: [], axes: axes };
    pairs.forEach(function (p) { s.series = s.series.concat(p[0]); s.data = s.data.concat(p[1]); });
    for (var k in (more || {})) s[k] = more[k];
    return s;
  }
  var specs = {
    sleep: spec([pair("TST (h)", C.a, "h", "tst_h"), pair("SE (%)", C.b, "%", "se")],
                [{ scale: "h", label: "hours" }, { scale: "%", side: 1, label: "%", grid: { show: false } }]),
    sol: spec([pair("SOL (min)", C.c, "min", "sol")], [{ scale: "min", label: "minutes" }]),
    pain: spec([pair("Evening", C.c, "nrs", "pain_evening"), pair("Morning", C.d, "nrs", "pain_morning")],
               [{ scale: "nrs", label: "NRS 0–10" }], { scales: { nrs: { range: [0, 10] } } }),
    intake: { series: [line("Grams", C.a, "g", dots), line("Last intake → trying to sleep (min)", C.b, "min", dots)],
              data: [d.grams, d.interval_min], axes: [{ scale: "g", label: "g" }, { scale: "min", side: 1, label: "min", grid: { show: false } }] },
    regularity: spec([pair("Lights out", C.b, "clk", "lights_out"), pair("Final awakening", C.a, "clk", "wake")],
                     [{ scale: "clk", label: "clock", values: function (u, v) { return v.map(clock); } }], { fmt: clock }),
    withwithout: { series: [line("TST, with kratom (h)", C.c, "h", dots), line("TST, without (h)", C.d, "h", dots)],
                   data: [d.tst_with, d.tst_without], axes: [{ scale: "h", label: "hours" }] }
  };
  var plots = [];
  root.querySelectorAll("[data-chart]").forEach(function (el) {
    var sp = specs[el.getAttribute("data-chart")];
    if (!sp) return;
    var series = [{ label: weekly ? "Nights" : "Night", value: night }].concat(sp.series.map(function (s) {
      if (sp.fmt) s.value = function (u, v) { return clock(v); };
      return s;
    }));
    var axes = [{ values: days }].concat(sp.axes.map(function (a) { a.size = 50; return a; }));
    var opts = { width: Math.max(el.clientWidth, 260), height: 220, series: series, axes: axes,
                 scales: Object.assign({ x: { time: true } }, sp.scales || {}),
                 legend: { live: true }, cursor: { points: { size: 7 } } };
    el.textContent = "";  // the server-drawn SVG is for pages without JavaScript
    el.setAttribute("role", "img");
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
