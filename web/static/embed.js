// Embeds the Section 117 aftercare helper on a partner's page with one tag:
//
//   <script src="https://helper.example/static/embed.js" data-area="kent"
//           data-colour="#005eb8" defer></script>
//
// It adds a launcher button; the button opens the chat in an iframe served by our own origin
// (so our security headers and our session storage apply, and the partner's page cannot read
// the conversation). Styles are set through the DOM, so a partner's CSP without
// 'unsafe-inline' styles still works. Nothing here uses innerHTML.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__s117EmbedLoaded) { return; }
  window.__s117EmbedLoaded = true;

  var origin = new URL(script.src, window.location.href).origin;
  var DEFAULT_COLOUR = "#005eb8";
  var EXIT_URL = "https://www.bbc.co.uk/weather";

  function luminance(hex) {
    var rgb = [1, 3, 5].map(function (i) {
      var c = parseInt(hex.substr(i, 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
  }
  // The colour sits behind white text, so it must reach 4.5:1 against white (WCAG AA).
  function checkedColour(raw) {
    if (!/^#[0-9a-fA-F]{6}$/.test(raw || "")) { return DEFAULT_COLOUR; }
    return 1.05 / (luminance(raw) + 0.05) >= 4.5 ? raw.toLowerCase() : DEFAULT_COLOUR;
  }

  var area = (script.getAttribute("data-area") || "").toLowerCase();
  if (!/^[a-z0-9-]{1,40}$/.test(area)) { area = ""; }
  var colour = checkedColour(script.getAttribute("data-colour"));
  var label = script.getAttribute("data-label") || "Ask about section 117 aftercare";

  var params = new URLSearchParams({ embed: "1", colour: colour });
  if (area) { params.set("area", area); }
  var chatUrl = origin + "/?" + params.toString();

  function styles(node, rules) {
    Object.keys(rules).forEach(function (k) { node.style.setProperty(k, rules[k]); });
    return node;
  }

  var launcher = styles(document.createElement("button"), {
    position: "fixed", right: "1rem", bottom: "1rem", "z-index": "2147483000",
    "min-height": "48px", "min-width": "48px", padding: "0.75rem 1.25rem",
    font: "700 1.1875rem/1.3 system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
    color: "#ffffff", background: colour, border: "3px solid #ffffff", "border-radius": "2rem",
    "box-shadow": "0 0 0 2px #0b0c0c", cursor: "pointer"
  });
  launcher.type = "button";
  launcher.textContent = label;
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("data-s117", "launcher");

  var panel = styles(document.createElement("div"), {
    position: "fixed", right: "1rem", bottom: "5rem", "z-index": "2147483000",
    width: "min(28rem, calc(100vw - 2rem))", height: "min(44rem, calc(100vh - 6.5rem))",
    background: "#ffffff", border: "3px solid " + colour, "border-radius": "0.75rem",
    "box-shadow": "0 0.5rem 2rem rgba(0, 0, 0, 0.35)", display: "none",
    "flex-direction": "column", overflow: "hidden"
  });
  panel.setAttribute("role", "region");
  panel.setAttribute("aria-label", "Section 117 aftercare helper");
  panel.setAttribute("data-s117", "panel");
  panel.id = "s117-panel";
  launcher.setAttribute("aria-controls", panel.id);

  var close = styles(document.createElement("button"), {
    "align-self": "flex-end", margin: "0.25rem", "min-height": "44px", "min-width": "44px",
    font: "700 1.1rem system-ui, sans-serif", color: "#ffffff", background: colour,
    border: "2px solid #ffffff", "border-radius": "0.375rem", cursor: "pointer"
  });
  close.type = "button";
  close.textContent = "Close the helper";

  var frame = null;
  function open() {
    if (!frame) {
      // Created on first open, so the partner's page loads nothing of ours until asked.
      frame = styles(document.createElement("iframe"), { flex: "1 1 auto", border: "0", width: "100%" });
      frame.title = "Section 117 aftercare helper";
      frame.src = chatUrl;
      frame.setAttribute("allow", "");
      frame.setAttribute("referrerpolicy", "no-referrer");
      panel.appendChild(frame);
    }
    panel.style.display = "flex";
    launcher.setAttribute("aria-expanded", "true");
    frame.focus();
  }
  function hide() {
    panel.style.display = "none";
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }
  launcher.addEventListener("click", function () {
    if (panel.style.display === "none") { open(); } else { hide(); }
  });
  close.addEventListener("click", hide);
  panel.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { hide(); }
  });

  // Exit this page, pressed inside the chat: leave the partner's page too.
  window.addEventListener("message", function (e) {
    if (e.origin !== origin || !frame || e.source !== frame.contentWindow) { return; }
    if (e.data && e.data.type === "s117-exit") {
      panel.remove();
      launcher.remove();
      window.location.replace(EXIT_URL);
    }
  });

  panel.appendChild(close);
  function mount() {
    document.body.appendChild(panel);
    document.body.appendChild(launcher);
  }
  if (document.body) { mount(); } else { document.addEventListener("DOMContentLoaded", mount); }
}());
