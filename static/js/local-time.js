/* Instants in the reader's own time zone: a progressive enhancement of
   {% instant %} (compact_process/web/templatetags/instants.py).

   The server writes every instant in UTC:
     <time datetime="2030-04-20T23:59:59Z" data-instant="seconds">20 April 2030, 23:59:59 UTC</time>
   This rewrites its text in the browser's time zone and the page's language, with the
   zone's name ("April 20, 2030 at 7:59:59 PM EDT"), and keeps the UTC text as its title.
   Without JavaScript the UTC text stands, which is correct, only less convenient.

   The options name each part rather than using dateStyle/timeStyle: those cannot be
   combined with timeZoneName (a TypeError), and only timeStyle "long" names the zone,
   always with seconds. */
(function () {
  "use strict";

  var lang = document.documentElement.lang || undefined;
  var formats = {};

  function formatFor(precision) {
    if (!formats[precision]) {
      var options = {
        year: "numeric", month: "long", day: "numeric",
        hour: "numeric", minute: "2-digit", timeZoneName: "short"
      };
      if (precision === "seconds") {
        options.second = "2-digit";
      }
      try {
        formats[precision] = new Intl.DateTimeFormat(lang, options);
      } catch (e) {
        // A language tag the browser does not know: its own default language.
        formats[precision] = new Intl.DateTimeFormat(undefined, options);
      }
    }
    return formats[precision];
  }

  function localize(element) {
    var when = new Date(element.getAttribute("datetime"));
    if (isNaN(when.getTime())) {
      return;
    }
    var precision = element.getAttribute("data-instant") === "seconds" ? "seconds" : "minutes";
    if (!element.title) {
      element.title = element.textContent.trim();
    }
    element.textContent = formatFor(precision).format(when);
  }

  if (!window.Intl || !Intl.DateTimeFormat) {
    return;
  }
  Array.prototype.forEach.call(document.querySelectorAll("time[data-instant]"), localize);
})();
