/* Instants in the reader's own time zone: a progressive enhancement of
   {% instant %} (compact_process/web/templatetags/instants.py).

   The server writes every instant in UTC (or a named zone), the one way of
   compact_process/formats/written.py:
     <time datetime="2030-04-20T23:59:59Z" data-instant="seconds">20 April 2030, 23:59:59 UTC</time>
   This rewrites its text in the browser's time zone with the same shape: the day as the
   page's language writes it (<html lang>, never the browser's language or its default
   "April 20, 2030 at 7:59:59 PM EDT"), a 24-hour time, the zone as an offset from UTC:
     20 April 2030, 19:59:59 UTC−4     20 avril 2030, 19:59:59 UTC−4
     2030年4月20日 19:59:59 UTC−4       20 أبريل 2030، 19:59:59 UTC−4
   and keeps the server's text as its title. Without JavaScript the server's text
   stands, which is correct, only less convenient.

   The day comes from Intl.DateTimeFormat with a locale whose pattern is Django's for
   that language (English as the UN writes it, en-GB; Arabic with Latin digits, as the
   server writes them); the time and the offset are written here, as the server writes
   them. An instant marked data-end at midnight is the end of the day before (23:59). */
(function () {
  "use strict";

  if (!window.Intl || !Intl.DateTimeFormat) {
    return;
  }

  var page = (document.documentElement.lang || "en").toLowerCase();
  var LOCALES = { en: "en-GB", ar: "ar-u-nu-latn", "zh-hans": "zh-Hans-u-nu-latn" };
  // Between the day and the time: Django's DATETIME_FORMAT of each language.
  var SEPARATORS = { ar: "\u060c ", "zh-hans": " " };
  var separator = SEPARATORS[page] === undefined ? ", " : SEPARATORS[page];
  // Where the browser's month name is not the server's (Django's catalogues): the
  // server's, so that one page does not spell April two ways; in Russian the day without
  // the browser's " г." (compact_process/formats/ru/formats.py).
  var SPELLINGS = { ar: [["\u0623\u0628\u0631\u064a\u0644", "\u0625\u0628\u0631\u064a\u0644"]],
    ru: [[" \u0433.", ""]] };
  var days;
  try {
    days = new Intl.DateTimeFormat(LOCALES[page] || page, {
      year: "numeric", month: "long", day: "numeric"
    });
  } catch (e) {
    days = new Intl.DateTimeFormat("en-GB", { year: "numeric", month: "long", day: "numeric" });
  }

  function two(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function offset(when) {
    var minutes = -when.getTimezoneOffset();
    if (!minutes) {
      return "UTC";
    }
    var sign = minutes > 0 ? "+" : "\u2212";
    var hours = Math.floor(Math.abs(minutes) / 60);
    var rest = Math.abs(minutes) % 60;
    return "UTC" + sign + hours + (rest ? ":" + two(rest) : "");
  }

  function localize(element) {
    var when = new Date(element.getAttribute("datetime"));
    if (isNaN(when.getTime())) {
      return;
    }
    var seconds = element.getAttribute("data-instant") === "seconds";
    var zone = offset(when);
    var shown = when;
    if (element.hasAttribute("data-end") && when.getHours() === 0 &&
        when.getMinutes() === 0 && when.getSeconds() === 0) {
      shown = new Date(when.getTime() - (seconds ? 1000 : 60000));
    }
    var time = two(shown.getHours()) + ":" + two(shown.getMinutes()) +
      (seconds ? ":" + two(shown.getSeconds()) : "");
    if (!element.title) {
      element.title = element.textContent.trim();
    }
    var day = days.format(shown);
    (SPELLINGS[page] || []).forEach(function (pair) {
      day = day.replace(pair[0], pair[1]);
    });
    element.textContent = day + separator + time + " " + zone;
  }

  Array.prototype.forEach.call(document.querySelectorAll("time[data-instant]"), localize);
})();
