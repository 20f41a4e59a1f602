/*
 * The OAuth popup's landing script, shared by public/<provider>-callback.html (no inline script: the pages' CSP is
 * script-src 'self'). Each page describes itself, so adding a provider needs no change here: its id and name on the
 * body (<body data-provider="<id>" data-name="<Name>">, the id and name of its row in src/lib/providers.ts) and its
 * brand colour as <meta name="theme-color" content="#rrggbb">, which this script sets as the stylesheet's --brand
 * (through CSSOM, which the pages' style-src 'self' allows; oauth-callback.css derives the other shades). A page
 * without a well-formed id or a name does nothing. The callback function redirected here with
 * ?status=pending&provider=<p>#pending=<id> or ?status=error&provider=<p>&code=<code>.
 *
 * Nothing from the URL is rendered: it only selects among fixed texts, and only well-formed identifiers are passed
 * on. "pending": the authorization finished and the app that started it must confirm it (with its own session):
 * this page only hands the one-time id to that app (opener postMessage with the exact origin, a BroadcastChannel,
 * a localStorage hand-off, all same-origin), never to the network, and never connects anything itself.
 * Names follow src/lib/oauthPopup.ts: "<provider>-oauth" for the message marker and the channel,
 * "<provider>-oauth:pending:<provider>" for the hand-off.
 */
(function () {
  "use strict";
  // Keep in step with src/lib/oauthErrors.ts (a test compares them); {name} is the provider's name.
  var MESSAGES = {
    access_denied: "You cancelled the {name} authorization.",
    invalid_state: "This connection attempt expired or was already used. Please try again.",
    not_team_admin: "Only team owners and admins can connect or disconnect integrations.",
    token_exchange_failed: "{name} did not accept the authorization. Please try connecting again.",
    provider_unavailable: "{name} is not responding right now. Please try again in a few minutes.",
    invalid_token_response: "{name} sent an unexpected response. Please try connecting again.",
    state_expired: "This connection attempt took too long. Please try again.",
    authorization_failed: "{name} could not complete the authorization. Please try again.",
    invalid_redirect_uri:
      "This app's address is not allowed to connect {name}. Ask an administrator to check APP_ORIGIN.",
    provider_not_configured:
      "{name} is not configured on this server yet. Ask an administrator to add the {name} client credentials.",
    connection_changed: "{name} was connected or disconnected elsewhere at the same time. Please try again."
  };
  var GENERIC = "Something went wrong while connecting {name}. Please try again.";
  var PROVIDER_ID = /^[a-z][a-z0-9_-]{0,31}$/;
  var MAX_NAME = 64;
  var COLOR = /^#[0-9a-fA-F]{6}$/;
  var CLOSE_AFTER_MS = 1500;
  var NOBODY_CONFIRMED_MS = 8000;
  var PENDING_ID = /^[A-Za-z0-9_-]{43}$/;

  var has = function (obj, key) {
    return Object.prototype.hasOwnProperty.call(obj, key);
  };
  var byId = function (id) {
    return document.getElementById(id);
  };

  // The page's own provider, never the URL's: a Slack landing can only ever speak for Slack. The id names the
  // message marker, the channel and the hand-off key, so only a plain identifier is accepted.
  var provider = document.body.getAttribute("data-provider") || "";
  var name = (document.body.getAttribute("data-name") || "").trim();
  if (!PROVIDER_ID.test(provider) || !name || name.length > MAX_NAME) return;
  var themeColor = document.querySelector('meta[name="theme-color"]');
  var brand = themeColor ? (themeColor.getAttribute("content") || "").trim() : "";
  if (COLOR.test(brand)) document.body.style.setProperty("--brand", brand);
  // Everything that names the provider comes from data-name, so a page copied for a new provider cannot keep
  // speaking for the old one (the static text is only what a browser without scripts shows).
  document.title = name;
  var brandName = document.getElementById("brand-name");
  if (brandName) brandName.textContent = name;
  var firstMessage = document.getElementById("message");
  if (firstMessage) firstMessage.textContent = "Completing the " + name + " connection.";
  var fill = function (text) {
    return text.split("{name}").join(name);
  };
  var SOURCE = provider + "-oauth";

  var params = new URLSearchParams(window.location.search);
  var fragment = new URLSearchParams(window.location.hash.slice(1));
  var rawStatus = params.get("status");
  var rawCode = params.get("code");
  var rawPending = fragment.get("pending");

  var pending = rawStatus === "pending" && rawPending && PENDING_ID.test(rawPending) ? rawPending : null;
  var ok = pending !== null;
  var code = ok ? null : rawCode && /^[a-z0-9_]{1,64}$/.test(rawCode) ? rawCode : "unknown_error";
  var message = ok
    ? "Finishing the connection in the app that started it."
    : fill(has(MESSAGES, code) ? MESSAGES[code] : GENERIC);

  // Drop the query and the fragment (the pending id) from the address bar and history.
  try {
    window.history.replaceState(null, "", window.location.pathname);
  } catch (e) {}

  var hasOpener = false;
  try {
    hasOpener = !!window.opener && !window.opener.closed;
  } catch (e) {
    hasOpener = false;
  }

  var title = byId("title");
  var text = byId("message");
  var hint = byId("hint");
  var back = byId("back");
  document.body.setAttribute("data-status", ok ? "pending" : "error");
  title.textContent = ok ? name + " authorized" : "Couldn't connect " + name;
  text.textContent = message;
  if (hasOpener) {
    hint.textContent = "You can close this window. It will close by itself in a moment.";
  } else if (ok) {
    // no opener: COOP on the consent page cut it, or this is not the browser that started the connection
    hint.textContent =
      "Return to the app window to finish. Nothing is connected unless the person who started it confirms there.";
    back.hidden = false;
    // No app confirmed within a few seconds (it broadcasts "confirmed" when it does): say plainly that this
    // window connected nothing, instead of a "finishing" that never ends.
    setTimeout(function () {
      if (document.body.getAttribute("data-status") !== "pending") return;
      title.textContent = "Nothing was connected from this window";
      text.textContent = "Only the app window that started this connection can finish it, with its own sign-in.";
      hint.textContent = "If that window is open in this browser, return to it. Otherwise you can close this window.";
    }, NOBODY_CONFIRMED_MS);
  } else {
    hint.textContent = "You can close this window and try again.";
    back.hidden = false;
  }
  hint.hidden = false;

  var payload = { source: SOURCE, provider: provider, status: ok ? "pending" : "error", code: code };
  if (ok) payload.pending = pending;

  if (hasOpener) {
    try {
      // Exact origin, never "*": only the app that opened this popup may read the result.
      window.opener.postMessage(payload, window.location.origin);
    } catch (e) {}
  }
  if (ok) {
    // For an app tab that reloaded meanwhile: it picks the id up when it comes back (same origin only).
    try {
      window.localStorage.setItem(SOURCE + ":pending:" + provider, JSON.stringify({ pending: pending, at: Date.now() }));
    } catch (e) {}
  }
  try {
    if (typeof BroadcastChannel === "function") {
      var channel = new BroadcastChannel(SOURCE);
      channel.onmessage = function (event) {
        var d = event.data;
        if (ok && d && d.source === SOURCE && d.provider === provider && d.status === "confirmed") {
          document.body.setAttribute("data-status", "success");
          title.textContent = name + " connected";
          text.textContent = "Your " + name + " account is now linked to your team.";
        }
      };
      channel.postMessage(payload);
      setTimeout(function () {
        try {
          channel.close();
        } catch (e) {}
      }, CLOSE_AFTER_MS);
    }
  } catch (e) {}

  // Also without an opener (COOP cut it): a window opened by script may close itself; a tab the person opened by
  // hand ignores this and keeps its text and link.
  setTimeout(function () {
    try {
      window.close();
    } catch (e) {}
  }, CLOSE_AFTER_MS);
})();
