"""What runs over a built site, after any engine: downloads, feed and link previews, the site
checks, the link check and the printed edition."""
