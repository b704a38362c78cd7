/* The live hall: polls the session's statuses and colours the seating chart, the counts
   and the list of those still missing. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("config").textContent);
  var NAMES = { "in": "已到", "late": "迟到", "missing": "未到", "leave": "请假" };
  function esc(value) {
    return String(value == null ? "" : value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function counts(row) {
    return ["in", "late", "missing", "leave"].map(function (k) { return "<td>" + (row[k] || 0) + "</td>"; }).join("");
  }
  function render(state) {
    var seats = document.querySelectorAll("#chart g.seat[data-cert]");
    seats.forEach(function (g) {
      var cert = g.getAttribute("data-cert");
      if (!cert) return;
      var status = state.statuses[cert];
      g.setAttribute("class", g.getAttribute("class").replace(/ ?st-\S+/g, "") + (status ? " st-" + status : ""));
      if (status) g.setAttribute("data-status", status); else g.removeAttribute("data-status");
    });
    document.getElementById("totals").innerHTML = Object.keys(NAMES).map(function (k) {
      return '<span data-total="' + k + '">' + NAMES[k] + " " + (state.totals[k] || 0) + "</span>";
    }).join("");
    var takers = {};
    state.zones.forEach(function (z) { takers[z.name] = z.taker + ((z.stations || []).length ? "（" + z.stations.join("、") + "）" : ""); });
    document.querySelector("#by-zone tbody").innerHTML = Object.keys(state.by_zone).map(function (zone) {
      return "<tr><td>" + esc(zone) + "</td><td>" + esc(takers[zone] || "") + "</td>" + counts(state.by_zone[zone]) + "</tr>";
    }).join("");
    document.querySelector("#by-delegation tbody").innerHTML = Object.keys(state.by_delegation).map(function (unit) {
      return "<tr><td>" + esc(unit) + "</td>" + counts(state.by_delegation[unit]) + "</tr>";
    }).join("");
    document.querySelector("#missing tbody").innerHTML = state.missing.map(function (m) {
      return '<tr data-cert="' + esc(m.certificate_no) + '"><td>' + esc(m.name) + "</td><td>" + esc(m.delegation) + "</td><td>" + esc(m.seat) +
        "</td><td>" + esc(m.zone) + "</td><td>" + esc(m.contact) + "</td><td>" + esc(m.phone) + "</td></tr>";
    }).join("");
    document.getElementById("missing-count").textContent = "（" + state.missing.length + "）";
    document.getElementById("updated").textContent = "更新于 " + new Date().toLocaleTimeString();
    document.body.dataset.loaded = String(Number(document.body.dataset.loaded || 0) + 1);
  }
  function poll() {
    fetch(config.status, { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(render)
      .catch(function () {})
      .then(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
