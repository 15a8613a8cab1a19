// The hand-in preview page: the html of `reportls/handinPreview` (what `report.py html` writes: the
// report rendered by Python-Markdown) made into a webview page. Relative image sources become
// webview URIs under the report's folder, a Content-Security-Policy allows only local images,
// inline styles and the page's own script (which keeps the scroll position across refreshes), and
// the style is a browser's default page, not the editor theme. No `vscode` import.
"use strict";

const crypto = require("crypto");
const path = require("path");

const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body) => {
    if (body[0] === "#") {
      const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    const named = ENTITIES[body.toLowerCase()];
    return named === undefined ? whole : named;
  });
}

const escapeAttr = (s) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * The file a relative image source points to, or null for URLs, data:, fragments and absolute paths.
 * @param {string} src the attribute value, entities decoded
 * @param {string} folder the report's folder (absolute)
 * @param {typeof path} [pathApi]
 */
function resolveImageSource(src, folder, pathApi = path) {
  const value = src.trim();
  if (!value || /^[a-z][a-z0-9+.-]*:/i.test(value) || value.startsWith("//") || value.startsWith("#")) return null;
  if (value.startsWith("/") || value.startsWith("\\")) return null;
  const withoutQuery = value.replace(/[?#].*$/, "");
  let decoded;
  try {
    decoded = decodeURIComponent(withoutQuery);
  } catch {
    decoded = withoutQuery;
  }
  return pathApi.resolve(folder, decoded);
}

const IMG_TAG = /<img\b[^>]*>/gi;
const SRC_ATTR = /(\ssrc\s*=\s*)("([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/i;

/**
 * Rewrite the src of every <img> that points into the report's folder tree.
 * @param {string} html
 * @param {string} folder the report's folder
 * @param {(file: string) => string} toUri a file's webview URI (webview.asWebviewUri)
 * @param {typeof path} [pathApi]
 */
function rewriteImageSources(html, folder, toUri, pathApi = path) {
  return html.replace(IMG_TAG, (tag) =>
    tag.replace(SRC_ATTR, (whole, lead, _quoted, dq, sq, bare) => {
      const raw = dq ?? sq ?? bare ?? "";
      const file = resolveImageSource(decodeEntities(raw), folder, pathApi);
      return file === null ? whole : `${lead}"${escapeAttr(toUri(file))}"`;
    }),
  );
}

/** The content of <body>, for a full page; the html itself for a fragment (what report.py writes). */
function bodyOf(html) {
  const m = /<body\b[^>]*>([\s\S]*?)(?:<\/body>|$)/i.exec(html);
  return m ? m[1] : html.replace(/^\s*<!doctype[^>]*>/i, "");
}

/** Content-Security-Policy: local images (webview resources), inline styles, and one nonce'd script. */
function contentSecurityPolicy(cspSource, nonce) {
  return [
    "default-src 'none'",
    `img-src ${cspSource}`,
    "style-src 'unsafe-inline'",
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

// A browser's default page (black serif on white), overriding the webview's editor-theme styles.
const PAGE_STYLE = `
html, body { background: #fff !important; color: #000 !important; }
body { margin: 8px; padding: 0; font-family: "Times New Roman", Times, serif; font-size: 16px; line-height: normal; }
a { color: #0000ee; } a:visited { color: #551a8b; }
code, kbd, pre, samp { font-family: monospace; font-size: 13px; color: inherit; background: none; padding: 0; border: 0; }
pre { white-space: pre; margin: 1em 0; }
blockquote { margin: 1em 40px; padding: 0; border: 0; background: none; }
h1, h2, h3, h4, h5, h6 { font-weight: bold; color: inherit; }
/* the one departure: a side pane is narrower than the grader's browser window */
img { max-width: 100%; }
`;

// Replaces the page's content on update messages, so the scroll position survives typing.
const PAGE_SCRIPT = `
window.addEventListener("message", (event) => {
  const msg = event.data;
  if (msg && msg.type === "update" && typeof msg.body === "string") document.body.innerHTML = msg.body;
});
`;

/**
 * The whole webview page.
 * @param {string} body the rewritten body html
 * @param {{cspSource: string, nonce: string, title?: string}} opts
 */
function previewPage(body, opts) {
  const title = escapeAttr(opts.title || "Hand-in preview");
  return `<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(opts.cspSource, opts.nonce)}">
<title>${title}</title>
<style>${PAGE_STYLE}</style>
<script nonce="${opts.nonce}">${PAGE_SCRIPT}</script>
</head>
<body>${body}</body>
</html>`;
}

/** A page body for a message instead of the report (not a report, server not running). */
function messageBody(text) {
  return `<p><em>${escapeAttr(text)}</em></p>`;
}

/** A fresh nonce for the page's script. */
function makeNonce() {
  return crypto.randomBytes(16).toString("hex");
}

module.exports = {
  decodeEntities,
  resolveImageSource,
  rewriteImageSources,
  bodyOf,
  contentSecurityPolicy,
  previewPage,
  messageBody,
  makeNonce,
};
