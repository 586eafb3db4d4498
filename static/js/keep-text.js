/* Nothing typed is lost when a session ends (a file, not inline: the Content Security Policy
   allows no inline script).

   1. An htmx request that meets an ended session gets 401 (core/htmx_auth.py); htmx swaps no
      4xx answer, and this script shows the page's "you were signed out" notice instead. The
      next request that succeeds (after signing in in another tab) hides it again; the
      editor's presence line asks again as soon as its tab is shown.
   2. Signing in gives a new CSRF token, in the cookie: forms and htmx requests send the
      cookie's token, so a page opened before the new sign-in still saves.
   3. A section's editor (form[data-draft]) keeps a copy of its text in this browser's
      localStorage on every keystroke. When the editor opens with a copy that differs from the
      saved text, the copy is put back, with a notice and a button to discard it. A save that
      succeeded sets a short cookie naming the section and its new version; the next page
      drops copies of older versions. */
(function () {
  "use strict";

  // --- 1. Signed out ----------------------------------------------------------------------
  function signedOutNotice() {
    return document.getElementById("signed-out");
  }

  document.addEventListener("htmx:responseError", function (event) {
    var notice = signedOutNotice();
    if (event.detail.xhr.status === 401 && notice) notice.hidden = false;
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var notice = signedOutNotice();
    if (event.detail.successful && notice) notice.hidden = true;
  });
  // Back in this tab (perhaps after signing in in another): the editor's presence line asks
  // at once rather than within 20 seconds. Only when shown: a page that is left asks nothing.
  document.addEventListener("visibilitychange", function () {
    var presence = document.getElementById("presence");
    if (presence && document.visibilityState === "visible") {
      presence.dispatchEvent(new Event("presence-check"));
    }
  });

  // --- 2. The CSRF token of the latest sign-in ----------------------------------------------
  function cookie(name) {
    var found = document.cookie.split("; ").filter(function (part) {
      return part.indexOf(name + "=") === 0;
    })[0];
    return found ? decodeURIComponent(found.slice(name.length + 1)) : null;
  }

  var CSRF_COOKIE = "csrftoken"; // Django's CSRF_COOKIE_NAME (settings.py keeps the default)

  document.addEventListener("htmx:configRequest", function (event) {
    var token = cookie(CSRF_COOKIE);
    if (token) event.detail.headers["X-CSRFToken"] = token;
  });
  document.addEventListener(
    "submit",
    function (event) {
      var token = cookie(CSRF_COOKIE);
      var field = event.target.querySelector("input[name=csrfmiddlewaretoken]");
      if (token && field) field.value = token;
    },
    true
  );

  // --- 3. Local drafts of a section ---------------------------------------------------------
  var PREFIX = "cemsdi-draft:";
  var SAVED_COOKIE = "cemsdi_saved_draft"; // strategies/views/sections.py

  function read(key) {
    try {
      var value = window.localStorage.getItem(PREFIX + key);
      return value ? JSON.parse(value) : null;
    } catch (error) {
      return null; // storage switched off, or a value from elsewhere: no draft
    }
  }
  function write(key, draft) {
    try {
      window.localStorage.setItem(PREFIX + key, JSON.stringify(draft));
    } catch (error) {
      /* storage full or switched off: the form still holds the text */
    }
  }
  function drop(key) {
    try {
      window.localStorage.removeItem(PREFIX + key);
    } catch (error) {
      /* nothing stored */
    }
  }

  // A save succeeded: copies made before it are out of date.
  var saved = cookie(SAVED_COOKIE);
  if (saved) {
    var cut = saved.lastIndexOf(".");
    var savedKey = saved.slice(0, cut);
    var stored = read(savedKey);
    if (stored && Number(stored.version) < Number(saved.slice(cut + 1))) drop(savedKey);
    document.cookie = SAVED_COOKIE + "=; Max-Age=0; Path=/; SameSite=Lax";
  }

  var form = document.querySelector("form[data-draft]");
  if (!form) return;
  var key = form.getAttribute("data-draft");
  var body = form.elements.namedItem("body");
  var title = form.elements.namedItem("title");
  var version = form.elements.namedItem("version");
  var notice = document.getElementById("draft-restored");

  function current() {
    return {
      version: version.value,
      body: body.value,
      title: title ? title.value : null,
      at: new Date().toISOString(),
    };
  }
  function show(state) {
    body.value = state.body;
    if (title && state.title !== null) title.value = state.title;
    // The version the copy was written on: if someone saved since, the save shows both texts.
    version.value = state.version;
  }

  var draft = read(key);
  if (form.hasAttribute("data-draft-conflict")) {
    write(key, current()); // the form holds the editor's own text, on the stored version
  } else if (
    draft &&
    (draft.body !== body.value || (title && draft.title !== null && draft.title !== title.value))
  ) {
    var original = current();
    show(draft);
    if (notice) {
      notice.hidden = false;
      notice.querySelector("button").addEventListener("click", function () {
        show(original);
        drop(key);
        notice.hidden = true;
        body.focus();
      });
    }
  } else if (draft) {
    drop(key); // the saved text is the same: nothing to keep
  }

  form.addEventListener("input", function () {
    write(key, current());
  });
})();
