// escnet: small progressive enhancements. Every page works without this
// file; it adds suggestions to the search box while typing and keeps at
// most one header menu open.
(function () {
  "use strict";
  var menus = Array.prototype.slice.call(document.querySelectorAll("details.menu"));
  function closeAll(except) {
    menus.forEach(function (m) { if (m !== except) { m.open = false; } });
  }
  menus.forEach(function (m) {
    m.addEventListener("toggle", function () {
      if (!m.open) { return; }
      closeAll(m);
      // A menu aligned to its right edge would leave the screen when the
      // header wraps and puts it on the left: align it to the left then.
      var list = m.querySelector("ul");
      if (list) {
        list.classList.remove("flip");
        if (list.getBoundingClientRect().left < 0) { list.classList.add("flip"); }
      }
    });
  });
  document.addEventListener("click", function (e) {
    if (!e.target.closest || !e.target.closest("details.menu")) { closeAll(null); }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") { return; }
    var open = menus.filter(function (m) { return m.open; });
    closeAll(null);
    if (open.length) { open[0].querySelector("summary").focus(); }
  });
})();
(function () {
  "use strict";
  var input = document.querySelector("input[data-suggest]");
  if (!input || !window.fetch) { return; }
  var list = document.getElementById(input.getAttribute("aria-controls"));
  var timer = null, active = -1, items = [];

  function close() {
    list.hidden = true;
    list.textContent = "";
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
    items = [];
  }

  function show(data) {
    list.textContent = "";
    items = data.items || [];
    if (items.length === 0) { close(); return; }
    items.forEach(function (it, i) {
      var li = document.createElement("li");
      li.id = "suggestion-" + i;
      li.setAttribute("role", "option");
      var a = document.createElement("a");
      a.href = it.url;
      a.textContent = it.label;
      var kind = document.createElement("span");
      kind.className = "suggestion-kind";
      kind.textContent = " · " + it.kind;
      a.appendChild(kind);
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function move(delta) {
    var options = list.querySelectorAll("li");
    if (options.length === 0) { return; }
    if (active >= 0) { options[active].removeAttribute("aria-selected"); }
    active = (active + delta + options.length) % options.length;
    options[active].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", options[active].id);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (q.length < 2) { close(); return; }
    timer = setTimeout(function () {
      fetch(input.getAttribute("data-suggest") + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { items: [] }; })
        .then(show)
        .catch(close);
    }, 150);
  });
  input.addEventListener("keydown", function (e) {
    if (list.hidden) { return; }
    if (e.key === "ArrowDown") { e.preventDefault(); move(1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); move(-1); }
    else if (e.key === "Escape") { close(); }
    else if (e.key === "Enter" && active >= 0) {
      e.preventDefault();
      window.location.href = items[active].url;
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 200); });
})();
// Wide tables scroll sideways inside themselves on narrow screens; a
// keyboard user must be able to focus them to scroll.
(function () {
  "use strict";
  function mark() {
    Array.prototype.forEach.call(document.querySelectorAll("main table"), function (t) {
      if (t.scrollWidth > t.clientWidth + 1) {
        t.setAttribute("tabindex", "0");
      } else if (t.getAttribute("tabindex") === "0") {
        t.removeAttribute("tabindex");
      }
    });
  }
  mark();
  window.addEventListener("resize", mark);
})();
