/* Meeting days in the reader's own time zone as well as the venue's, on request.

   The server writes each day in the venue's time, which stays the reference; the day's
   list item carries its start and end in UTC:
     <li data-starts="2017-05-08T08:00:00Z" data-ends="2017-05-08T16:00:00Z">...</li>
   A button (hidden without JavaScript, see templates/phases/_reader_time_toggle.html)
   adds "your time: ..." to each day, in the page's language (never the browser's
   default) and a 24-hour clock like the venue's times; the choice is remembered. */
(function () {
  "use strict";

  var toggle = document.querySelector("[data-reader-time-toggle]");
  if (!toggle || !window.Intl || !Intl.DateTimeFormat) {
    return;
  }
  var KEY = "reader-time";
  var lang = document.documentElement.lang || "en";
  var options = {
    weekday: "long", day: "numeric", month: "long",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short"
  };
  var format;
  try {
    format = new Intl.DateTimeFormat(lang, options);
  } catch (e) {
    return; // A language the browser cannot write: the venue's times stand alone.
  }
  var pattern = toggle.getAttribute("data-pattern") || "{time}";

  function span(start, end) {
    if (format.formatRange) {
      try {
        return format.formatRange(start, end);
      } catch (e) { /* fall through */ }
    }
    return format.format(start) + " – " + format.format(end);
  }

  function show(on) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-starts][data-ends]"), function (day) {
      var added = day.querySelector(".reader-time");
      if (on && !added) {
        var start = new Date(day.getAttribute("data-starts"));
        var end = new Date(day.getAttribute("data-ends"));
        if (isNaN(start.getTime()) || isNaN(end.getTime())) {
          return;
        }
        added = document.createElement("span");
        added.className = "reader-time";
        added.textContent = pattern.replace("{time}", span(start, end));
        day.appendChild(document.createTextNode(" "));
        day.appendChild(added);
      }
      if (added) {
        added.hidden = !on;
      }
    });
    toggle.setAttribute("aria-pressed", on ? "true" : "false");
    try {
      window.localStorage.setItem(KEY, on ? "on" : "off");
    } catch (e) { /* storage refused: the choice lasts for this page */ }
  }

  toggle.hidden = false;
  toggle.addEventListener("click", function () {
    show(toggle.getAttribute("aria-pressed") !== "true");
  });
  var saved = null;
  try {
    saved = window.localStorage.getItem(KEY);
  } catch (e) { /* no storage */ }
  if (saved === "on") {
    show(true);
  }
})();
