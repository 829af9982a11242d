/* What a person types into a long field survives a failed submission: a progressive
   enhancement of forms marked data-keep-draft="{% draft_key %}"
   (compact_process/web/drafts.py).

   Each textarea of such a form is saved in this tab's sessionStorage as it is typed, and
   put back into the field, if the field is empty, when the page is shown again: after
   the 503 of a database outage, a lost connection, a reload. A draft is dropped only
   once the server says it took the form: the cookie draft_accepted, set on the response
   that saved it, names the draft on whichever page comes next. A failure says nothing,
   so the draft stays. Without JavaScript or sessionStorage the form works as before. */
(function () {
  "use strict";

  var PREFIX = "draft:";
  var ACCEPTED = "draft_accepted";
  var storage;
  try {
    storage = window.sessionStorage;
    storage.getItem(PREFIX);
  } catch (e) {
    return; // storage refused (a privacy setting): nothing to keep the text in
  }

  function read(key) {
    try {
      return JSON.parse(storage.getItem(PREFIX + key) || "{}") || {};
    } catch (e) {
      return {};
    }
  }

  function write(key, draft) {
    try {
      if (Object.keys(draft).length) {
        storage.setItem(PREFIX + key, JSON.stringify(draft));
      } else {
        storage.removeItem(PREFIX + key);
      }
      return true;
    } catch (e) {
      return false; // storage full: the form still works, only without the draft
    }
  }

  function forgetAll() {
    for (var i = storage.length - 1; i >= 0; i--) {
      var name = storage.key(i);
      if (name && name.indexOf(PREFIX) === 0) storage.removeItem(name);
    }
  }

  // First the server's word that a form was saved, so that its text is not put back.
  var accepted = document.cookie.match(new RegExp("(?:^|;\\s*)" + ACCEPTED + "=([^;]*)"));
  if (accepted) {
    try {
      storage.removeItem(PREFIX + decodeURIComponent(accepted[1]));
    } catch (e) { /* a malformed value: nothing to drop */ }
    document.cookie = ACCEPTED + "=; Max-Age=0; Path=/; SameSite=Lax" +
      (location.protocol === "https:" ? "; Secure" : "");
  }

  // Signing out leaves nothing typed behind for the next person at this computer.
  Array.prototype.forEach.call(document.querySelectorAll("form.sign-out"), function (form) {
    form.addEventListener("submit", forgetAll);
  });

  Array.prototype.forEach.call(document.querySelectorAll("form[data-keep-draft]"), function (form) {
    var key = form.getAttribute("data-keep-draft");
    if (!key) return;
    var fields = Array.prototype.slice.call(form.querySelectorAll("textarea[name]"));
    var draft = read(key);

    fields.forEach(function (field) {
      if (!field.value && draft[field.name]) field.value = draft[field.name];
      field.addEventListener("input", function () {
        var now = read(key);
        if (field.value) {
          now[field.name] = field.value;
        } else {
          delete now[field.name];
        }
        write(key, now);
      });
    });

    form.addEventListener("submit", function () {
      var now = {};
      fields.forEach(function (field) {
        if (field.value) now[field.name] = field.value;
      });
      // Tells the 503 page that what was typed is kept here (compact_process/web/outage.py).
      if (write(key, now) && Object.keys(now).length && !form.querySelector("input[name=draft_kept]")) {
        var marker = document.createElement("input");
        marker.type = "hidden";
        marker.name = "draft_kept";
        marker.value = "1";
        form.appendChild(marker);
      }
    });
  });
})();
