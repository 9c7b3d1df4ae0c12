/*
 * The search index is fetched when a reader first turns to search, not when a page loads.
 *
 * Why: the theme fetches the whole index (about 290 KB with gzip) as soon as any page loads,
 * parses it on the main thread and copies it to the search worker, which then builds its index.
 * On a phone on a slow connection that download competes with the page itself, and the parsing
 * and copying block the main thread, on every page whether or not the reader ever searches.
 *
 * How: this script runs before the theme's, and holds back the one request for
 * search/search_index.json (the theme's own XMLHttpRequest, whose `send` is deferred here; nothing
 * else is touched) until the reader focuses the search box, opens search (the search button, or
 * the theme's keys "f", "s" and "/", which focus the box), or arrives from a search result to
 * have the found words highlighted (an `h` parameter in the address). Search works as before; its
 * first results wait for the index, with the theme's own "Initializing search" meanwhile.
 */
(() => {
  "use strict";

  const INDEX = /\/search\/search_index\.json(?:$|[?#])/;
  const { open, send, abort } = XMLHttpRequest.prototype;
  const indexRequests = new WeakSet();
  const held = [];
  let wanted = new URLSearchParams(location.search).has("h");

  function release() {
    if (wanted) return;
    wanted = true;
    for (const [request, body] of held.splice(0)) send.call(request, body);
    document.removeEventListener("focusin", onFocus, true);
    document.removeEventListener("change", onChange, true);
  }

  function onFocus(event) {
    const target = event.target;
    if (target instanceof Element && target.closest("[data-md-component='search']")) release();
  }

  function onChange(event) {
    if (event.target instanceof HTMLInputElement && event.target.id === "__search") release();
  }

  if (!wanted) {
    XMLHttpRequest.prototype.open = function (method, url, ...rest) {
      if (INDEX.test(String(url))) indexRequests.add(this);
      else indexRequests.delete(this);
      return open.call(this, method, url, ...rest);
    };
    XMLHttpRequest.prototype.send = function (body) {
      if (!wanted && indexRequests.has(this)) {
        held.push([this, body]);
        return;
      }
      return send.call(this, body);
    };
    XMLHttpRequest.prototype.abort = function () {
      const index = held.findIndex(([request]) => request === this);
      if (index >= 0) held.splice(index, 1); // given up before it was sent: never send it
      return abort.call(this);
    };
    document.addEventListener("focusin", onFocus, true);
    document.addEventListener("change", onChange, true);
  }
})();
