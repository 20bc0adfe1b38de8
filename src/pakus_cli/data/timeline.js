/* The timeline page's filters: a text filter, type/actor/outlet toggles, year counts.
   Without this script every event stays visible and the controls stay hidden. */
(function () {
  "use strict";
  var dataNode = document.getElementById("pakus-data");
  var controls = document.getElementById("controls");
  if (!dataNode || !controls) { return; }
  var facts = JSON.parse(dataNode.textContent).events;
  var items = Array.prototype.slice.call(document.querySelectorAll("li.event"));
  var toggles = Array.prototype.slice.call(document.querySelectorAll("button.toggle"));
  var query = document.getElementById("q");
  var shown = document.getElementById("shown");
  var total = items.length;

  function pressed(facet) {
    return toggles.filter(function (b) {
      return b.dataset.facet === facet && b.getAttribute("aria-pressed") === "true";
    }).map(function (b) { return b.dataset.value; });
  }

  function anyOf(wanted, values) {
    return wanted.length === 0 || values.some(function (v) { return wanted.indexOf(v) >= 0; });
  }

  function matches(f, words, want) {
    return words.every(function (w) { return f.text.indexOf(w) >= 0; }) &&
      anyOf(want.type, [f.type]) && anyOf(want.actor, f.actors) && anyOf(want.outlet, f.outlets);
  }

  function hideEmpty(selector) {
    document.querySelectorAll(selector).forEach(function (group) {
      group.hidden = !group.querySelector("li.event:not([hidden])");
    });
  }

  function countYears() {
    document.querySelectorAll(".years a[data-year]").forEach(function (a) {
      var section = document.getElementById("y" + a.dataset.year);
      var n = section ? section.querySelectorAll("li.event:not([hidden])").length : 0;
      a.querySelector(".n").textContent = String(n);
      a.classList.toggle("empty", n === 0);
    });
  }

  function apply() {
    var words = query.value.toLowerCase().split(/\s+/).filter(Boolean);
    var want = { type: pressed("type"), actor: pressed("actor"), outlet: pressed("outlet") };
    var n = 0;
    items.forEach(function (li) {
      var ok = matches(facts[Number(li.dataset.i)], words, want);
      li.hidden = !ok;
      if (ok) { n += 1; }
    });
    hideEmpty("section.month");
    hideEmpty("section.year");
    countYears();
    shown.textContent = n === total ? total + (total === 1 ? " event" : " events")
      : "Showing " + n + " of " + total + " events" + (n === 0 ? ": none matches" : "");
  }

  toggles.forEach(function (b) {
    b.addEventListener("click", function () {
      b.setAttribute("aria-pressed", b.getAttribute("aria-pressed") === "true" ? "false" : "true");
      apply();
    });
  });
  query.addEventListener("input", apply);
  document.getElementById("reset").addEventListener("click", function () {
    query.value = "";
    toggles.forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
    apply();
    query.focus();
  });
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey && t.tagName !== "INPUT") {
      e.preventDefault();
      query.focus();
    }
  });
  controls.hidden = false;
  apply();
}());
