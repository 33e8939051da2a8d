// A zone plan's map: the units' shapes from the plan's scoped GeoJSON endpoint, one colour per zone
// (ECharts registerMap + a visual map by zone number); units in no zone are grey. A click on a unit opens
// the panel under the map (#map-panel) naming the unit and its zone; on a draft the panel's form moves the
// unit, its live re-check coming from the same htmx endpoint as the list's form.
(function () {
  "use strict";
  var element = document.getElementById("zone-map");
  if (!element) {
    return;
  }
  var palette = ["#1d4f91", "#c0392b", "#2e8b57", "#d68910", "#7d3c98", "#138d90", "#b9770e", "#5d6d7e",
    "#a93226", "#1f618d", "#229954", "#ca6f1e"];
  var panel = document.getElementById("map-panel");

  function where(d) {
    return d.zone ? d.zoneName || element.dataset.zone + " " + d.zone : element.dataset.unplaced;
  }

  function closePanel() {
    panel.hidden = true;
    element.focus();
  }

  function openPanel(d, code) {
    if (!panel) {
      return;
    }
    panel.querySelector("[data-unit]").textContent = d.label || code;
    panel.querySelector("[data-where]").textContent = where(d);
    var form = document.getElementById("map-move-form");
    if (form) {
      form.querySelector("input[name=unit]").value = code;
      var select = form.querySelector("select[name=zone]");
      select.value = "";
      Array.prototype.forEach.call(select.options, function (option) {
        option.disabled = option.dataset.number === String(d.zone);
      });
      var check = document.getElementById("map-move-check");
      if (check && panel.dataset.initial) {
        check.outerHTML = panel.dataset.initial;
      }
      panel.hidden = false;
      select.focus();
    } else {
      panel.hidden = false;
      panel.querySelector("[data-close]").focus();
    }
  }

  if (panel) {
    var initial = document.getElementById("map-move-check");
    if (initial) {
      panel.dataset.initial = initial.outerHTML;
    }
    panel.querySelector("[data-close]").addEventListener("click", closePanel);
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        closePanel();
      }
    });
  }

  window.jdmap(element, "jiandu-zones", function (chart, geojson) {
    var data = geojson.features.map(function (feature) {
      var zone = feature.properties.zone;
      // The server gives neighbouring zones different colour indexes.
      var colour = feature.properties.colour;
      return {
        name: feature.properties.name,
        label: feature.properties.label,
        zone: zone,
        zoneName: feature.properties.zone_name,
        itemStyle: { areaColor: zone ? palette[colour % palette.length] : "#d5d8dc", opacity: zone ? 0.75 : 1 },
      };
    });
    chart.setOption({
      animation: false,
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var d = p.data || {};
          return (d.label || p.name) + " · " + where(d);
        },
      },
      series: [
        {
          type: "map",
          map: "jiandu-zones",
          roam: true,
          data: data,
          label: { show: data.length <= 40, fontSize: 10, formatter: function (p) { return (p.data && p.data.label) || p.name; } },
          itemStyle: { borderColor: "#ffffff", borderWidth: 0.8 },
          emphasis: { itemStyle: { areaColor: "#f3d9a4" } },
        },
      ],
    });
    chart.on("click", function (params) {
      if (params.data) {
        openPanel(params.data, params.name);
      }
    });
    // For tests and keyboard helpers: open the panel of a unit by its code.
    element.jdOpenUnit = function (code) {
      var found = data.filter(function (d) {
        return d.name === code;
      })[0];
      if (found) {
        openPanel(found, code);
      }
    };
    element.dataset.ready = "1";
  });
})();
