/*
 * Footnote previews: pointing at or focusing a footnote marker shows the footnote (the source
 * behind the figure) in a small box beside it.
 *
 * Why not the theme's own footnote tooltips: the theme sets up a tooltip, with position and size
 * watchers, for every marker when the page loads. The technology page has well over a hundred
 * markers, and on a mid-range phone that set-up blocked the main thread for a third of a second.
 * Here one listener on the document and one shared box, filled only when a reader asks, cost
 * nothing at load time, however many footnotes a page has.
 *
 * The box follows WCAG 1.4.13: it stays while the pointer moves onto it (so its link can be
 * followed), it is dismissed with Escape, and it stays until the pointer or the focus leaves.
 */
(() => {
  "use strict";

  const HIDE_DELAY_MS = 200;
  const GAP_PX = 6;
  let box = null;
  let owner = null;
  let hideTimer = 0;

  function previewBox() {
    if (box === null) {
      box = document.createElement("div");
      box.id = "footnote-preview";
      box.className = "footnote-preview md-typeset";
      box.setAttribute("role", "tooltip");
      box.hidden = true;
      box.addEventListener("mouseenter", () => clearTimeout(hideTimer));
      box.addEventListener("mouseleave", hideSoon);
      document.body.append(box);
    }
    return box;
  }

  function markerOf(target) {
    return target instanceof Element ? target.closest("a.footnote-ref") : null;
  }

  function show(marker) {
    const note = document.getElementById(decodeURIComponent(marker.hash.slice(1)));
    if (note === null) return;
    clearTimeout(hideTimer);
    const preview = previewBox();
    const copy = note.cloneNode(true);
    copy.querySelectorAll(".footnote-backref").forEach((link) => link.remove());
    copy.querySelectorAll("[id]").forEach((element) => element.removeAttribute("id"));
    preview.replaceChildren(...copy.childNodes);
    if (owner !== null && owner !== marker) owner.removeAttribute("aria-describedby");
    owner = marker;
    marker.setAttribute("aria-describedby", preview.id);
    preview.hidden = false;
    place(preview, marker);
  }

  function place(preview, marker) {
    const anchor = marker.getBoundingClientRect();
    const width = preview.offsetWidth;
    const height = preview.offsetHeight;
    const page = document.documentElement.clientWidth;
    const left = Math.max(GAP_PX, Math.min(anchor.left + anchor.width / 2 - width / 2, page - width - GAP_PX));
    const below = anchor.bottom + GAP_PX + height <= window.innerHeight || anchor.top < height + GAP_PX;
    const top = below ? anchor.bottom + GAP_PX : anchor.top - GAP_PX - height;
    preview.style.left = `${left + window.scrollX}px`;
    preview.style.top = `${top + window.scrollY}px`;
  }

  function hide() {
    clearTimeout(hideTimer);
    if (box !== null) box.hidden = true;
    if (owner !== null) owner.removeAttribute("aria-describedby");
    owner = null;
  }

  function hideSoon() {
    clearTimeout(hideTimer);
    hideTimer = window.setTimeout(hide, HIDE_DELAY_MS);
  }

  document.addEventListener("mouseover", (event) => {
    const marker = markerOf(event.target);
    if (marker !== null) show(marker);
  });
  document.addEventListener("mouseout", (event) => {
    if (markerOf(event.target) !== null) hideSoon();
  });
  document.addEventListener("focusin", (event) => {
    const marker = markerOf(event.target);
    if (marker !== null) show(marker);
    else if (box !== null && !box.contains(event.target)) hide();
  });
  document.addEventListener("click", (event) => {
    if (markerOf(event.target) !== null) hide(); // the reader is going to the footnote itself
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && box !== null && !box.hidden) hide();
  });
})();
