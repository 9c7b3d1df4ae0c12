/*
 * The colour-scheme switch in the header (overrides/partials/palette.html): the theme's own
 * behaviour, without its cost at load.
 *
 * The theme's script, on every page load, marks the body as "switching" (which turns off every
 * transition on the page through a rule that matches all elements), sets the scheme again and
 * reads the header's computed colours, then removes the mark: two restylings of the whole page,
 * even when the scheme does not change. Here, at load, the body's colour attributes are set only
 * where they differ, and the header's colours are read in the first frame after load. A reader's
 * switch does what the theme does: the same attributes, the same stored choice (shared with the
 * theme's early script, which applies it before the page is first drawn), the same meta tags.
 */
(() => {
  "use strict";

  const form = document.querySelector("form[data-briefing-palette]");
  if (form === null) return;
  const inputs = [...form.querySelectorAll("input")];
  if (inputs.length === 0) return;
  const KEYS = ["media", "scheme", "primary", "accent"];

  const themeColour = document.createElement("meta");
  themeColour.name = "theme-color";
  document.head.append(themeColour);
  // Added only once a scheme other than the light one is shown: the meta tag restyles the whole
  // page when it is added or changed, and "light" is what a page without it already is.
  let colourScheme = null;

  function stored() {
    try {
      return typeof __md_get === "function" ? __md_get("__palette") : null;
    } catch {
      return null;
    }
  }

  function paletteOf(index) {
    const input = inputs[index];
    const color = {};
    for (const key of KEYS) color[key] = input.getAttribute(`data-md-color-${key}`);
    if (color.media === "(prefers-color-scheme)") {
      // "Follow the system": the colours of the option for the system's current scheme.
      const light = matchMedia("(prefers-color-scheme: light)").matches;
      const system = form.querySelector(
        `[data-md-color-media='(prefers-color-scheme: ${light ? "light" : "dark"})']`,
      );
      if (system !== null) {
        for (const key of ["scheme", "primary", "accent"]) color[key] = system.getAttribute(`data-md-color-${key}`);
      }
    }
    return { index, color };
  }

  function updateMeta() {
    const header = document.querySelector("[data-md-component='header']");
    if (header === null) return;
    const style = getComputedStyle(header);
    if (colourScheme === null && !["light", "normal"].includes(style.colorScheme)) {
      colourScheme = document.createElement("meta");
      colourScheme.name = "color-scheme";
      document.head.append(colourScheme);
    }
    if (colourScheme !== null && colourScheme.content !== style.colorScheme) colourScheme.content = style.colorScheme;
    const rgb = style.backgroundColor.match(/\d+/g) || [];
    themeColour.content = "#" + rgb.map((value) => (+value).toString(16).padStart(2, "0")).join("");
  }

  let current = 0;

  function apply(palette, switching) {
    current = palette.index;
    const body = document.body;
    if (switching) body.setAttribute("data-md-color-switching", "");
    for (const [key, value] of Object.entries(palette.color)) {
      const name = `data-md-color-${key}`;
      if (value !== null && body.getAttribute(name) !== value) body.setAttribute(name, value);
    }
    inputs.forEach((input, index) => {
      const label = input.nextElementSibling;
      if (label instanceof HTMLElement && label.hidden !== (palette.index !== index)) {
        label.hidden = palette.index !== index;
      }
    });
    if (typeof __md_set === "function") __md_set("__palette", palette);
    if (switching) {
      updateMeta();
      setTimeout(() => body.removeAttribute("data-md-color-switching"));
    }
  }

  // At load: the stored choice, or else the option whose media query matches (as the theme does).
  const saved = stored();
  let index =
    saved && typeof saved.index === "number"
      ? saved.index
      : inputs.findIndex((input) => matchMedia(input.getAttribute("data-md-color-media")).matches);
  index = Math.max(0, Math.min(index, inputs.length - 1));
  apply(paletteOf(index), false);
  // Read in the frame after load, when the browser styles the page anyway.
  const drawn = () => requestAnimationFrame(updateMeta);
  if (document.readyState === "complete") drawn();
  else addEventListener("load", drawn, { once: true });

  // A reader's switch.
  for (const input of inputs) {
    input.addEventListener("change", () => apply(paletteOf(inputs.indexOf(input)), true));
  }
  // Enter on the switch moves to the next scheme, as the theme's does.
  form.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    const next = inputs[(current + 1) % inputs.length];
    next.click();
    next.focus();
  });
})();
