/* cxtext report: draw the charts, make the theme table sortable and filterable; the words it
   writes itself (the theme count, percentages, the charts' dates) come in the page's language. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("cx-data").textContent);
  var words = data.words;
  var locale = words.locale;
  Plotly.register({
    moduleType: "locale",
    name: locale.name,
    dictionary: {},
    format: {
      months: locale.months,
      shortMonths: locale.shortMonths,
      decimal: locale.decimal,
      thousands: locale.thousands,
    },
  });
  var plotConfig = {
    displaylogo: false,
    responsive: true,
    locale: locale.name,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"],
  };

  function percent(share) {
    return words.percent.replace("{value}", String(Math.round(100 * share)));
  }

  Object.keys(data.figures).forEach(function (id) {
    var element = document.getElementById(id);
    var figure = data.figures[id];
    if (element && figure) {
      var config = Object.assign({}, plotConfig, figure.config || {});
      Plotly.newPlot(element, figure.data, figure.layout, config);
    }
  });

  var table = document.getElementById("theme-table");
  var codes = data.codes;
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var filters = [
    "filter-lang", "filter-segment", "filter-question", "filter-phase", "filter-silo", "filter-text"
  ];

  function value(id) {
    var element = document.getElementById(id);
    return element ? element.value : "";
  }

  function recount() {
    var lang = value("filter-lang") === "" ? -1 : Number(value("filter-lang"));
    var segment = value("filter-segment") === "" ? -1 : Number(value("filter-segment"));
    var question = value("filter-question") === "" ? -1 : Number(value("filter-question"));
    var phase = value("filter-phase");
    var silo = value("filter-silo");
    var text = value("filter-text").trim().toLowerCase();
    var counts = new Array(codes.themes.length).fill(0);
    var negatives = new Array(codes.themes.length).fill(0);
    for (var i = 0; i < codes.t.length; i++) {
      if ((lang >= 0 && codes.l[i] !== lang) || (segment >= 0 && codes.s[i] !== segment) ||
          (question >= 0 && codes.q[i] !== question)) {
        continue;
      }
      if (codes.t[i] >= 0) {
        counts[codes.t[i]] += 1;
        negatives[codes.t[i]] += codes.n[i];
      }
    }
    var shown = 0;
    rows.forEach(function (row) {
      var index = Number(row.dataset.themeIndex);
      var count = index >= 0 ? counts[index] : 0;
      var share = count ? negatives[index] / count : 0;
      var countCell = row.querySelector(".c-count");
      countCell.textContent = String(count);
      countCell.dataset.value = String(count);
      var negativeCell = row.querySelector(".c-negative");
      negativeCell.dataset.value = String(count ? share : -1);
      negativeCell.querySelector(".c-negative-text").textContent =
        count ? percent(share) : "–";
      negativeCell.querySelector(".bar i").style.width = Math.round(100 * share) + "%";
      var visible =
        count > 0 &&
        (phase === "" || row.dataset.phase === phase) &&
        (silo === "" || row.dataset.silo === silo) &&
        (text === "" || row.dataset.search.indexOf(text) >= 0);
      row.hidden = !visible;
      if (visible) {
        shown += 1;
      }
    });
    document.getElementById("theme-count").textContent = words.themes_shown
      .replace("{shown}", String(shown))
      .replace("{total}", String(rows.length));
  }

  filters.forEach(function (id) {
    var element = document.getElementById(id);
    if (element) {
      element.addEventListener("input", recount);
    }
  });

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, column) {
    var kind = header.dataset.sort;
    if (!kind) {
      return;
    }
    header.tabIndex = 0;
    header.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        header.click();
      }
    });
    header.addEventListener("click", function () {
      var ascending = header.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
        cell.removeAttribute("aria-sort");
      });
      header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = a.cells[column].dataset.value;
        var y = b.cells[column].dataset.value;
        var order = kind === "num" ? Number(x) - Number(y) : x.localeCompare(y);
        return ascending ? order : -order;
      });
      rows.forEach(function (row) {
        table.tBodies[0].appendChild(row);
      });
    });
  });

  recount();
})();
