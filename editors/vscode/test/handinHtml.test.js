"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("path");
const {
  decodeEntities, resolveImageSource, rewriteImageSources, bodyOf, contentSecurityPolicy, previewPage, messageBody, makeNonce,
} = require("../src/handinHtml");

const FOLDER = "/home/s/repo/reports";
const toUri = (file) => `https://file+.vscode-resource.vscode-cdn.net${file.split("/").map(encodeURIComponent).join("/")}`;
const rewrite = (html) => rewriteImageSources(html, FOLDER, toUri, path.posix);

test("Python-Markdown's <img> with a figures/ path becomes a webview URI", () => {
  assert.equal(rewrite('<p><img alt="W&amp;B" src="figures/wandb.png" /></p>'),
    '<p><img alt="W&amp;B" src="https://file+.vscode-resource.vscode-cdn.net/home/s/repo/reports/figures/wandb.png" /></p>');
});

test("percent-encoded and entity-encoded names are decoded to the file, then encoded as a URI", () => {
  assert.equal(rewrite('<img src="figures/loss%20curve.png">'),
    '<img src="https://file+.vscode-resource.vscode-cdn.net/home/s/repo/reports/figures/loss%20curve.png">');
  assert.equal(rewrite('<img src="figures/a&amp;b.png">'),
    '<img src="https://file+.vscode-resource.vscode-cdn.net/home/s/repo/reports/figures/a%26b.png">');
});

test("single-quoted and unquoted sources from raw HTML in the report, other attributes kept", () => {
  assert.equal(rewrite("<img width=300 src='figures/x.jpg' alt='x'>"),
    '<img width=300 src="https://file+.vscode-resource.vscode-cdn.net/home/s/repo/reports/figures/x.jpg" alt=\'x\'>');
  assert.equal(rewrite("<IMG SRC=figures/y.png>"), '<IMG SRC="https://file+.vscode-resource.vscode-cdn.net/home/s/repo/reports/figures/y.png">');
});

test("./ and ../ resolve against the report's folder; query and fragment are dropped", () => {
  assert.equal(rewrite('<img src="./figures/z.png?raw=true">'),
    '<img src="https://file+.vscode-resource.vscode-cdn.net/home/s/repo/reports/figures/z.png">');
  assert.equal(rewrite('<img src="../docs/arch.png">'), '<img src="https://file+.vscode-resource.vscode-cdn.net/home/s/repo/docs/arch.png">');
});

test("URLs, data:, protocol-relative, absolute paths and fragments are left alone", () => {
  for (const src of ["https://example.org/a.png", "data:image/png;base64,AAAA", "//cdn.example.org/a.png", "/abs/a.png", "#x",
    "C:/Users/a.png", "file:///tmp/a.png"]) {
    const html = `<img src="${src}">`;
    assert.equal(rewrite(html), html, src);
  }
});

test("only <img> tags are touched, every one of them", () => {
  const html = '<a href="figures/a.png">figures/a.png</a> <img src="figures/a.png"><img alt="" src="figures/b.png"/> ' +
    '<pre><code>&lt;img src="figures/c.png"&gt;</code></pre>';
  const out = rewrite(html);
  assert.equal(out.match(/vscode-resource/g).length, 2);
  assert.ok(out.startsWith('<a href="figures/a.png">figures/a.png</a> '));
  assert.ok(out.endsWith('<pre><code>&lt;img src="figures/c.png"&gt;</code></pre>'));
});

test("an <img> without src, and a srcset-only image, stay as they are", () => {
  assert.equal(rewrite('<img alt="x">'), '<img alt="x">');
  assert.equal(rewrite('<img data-src="figures/a.png">'), '<img data-src="figures/a.png">');
});

test("resolveImageSource on Windows paths", () => {
  assert.equal(resolveImageSource("figures/a.png", "C:\\r\\reports", path.win32), "C:\\r\\reports\\figures\\a.png");
  assert.equal(resolveImageSource("C:\\x.png", "C:\\r", path.win32), null);
});

test("entities", () => {
  assert.equal(decodeEntities("a&amp;b&#39;c&#x41;&lt;&unknown;"), "a&b'cA<&unknown;");
});

test("the body of a full page, a fragment as it is", () => {
  assert.equal(bodyOf("<!DOCTYPE html><html><head><title>t</title></head><body class=x><h1>A</h1></body></html>"), "<h1>A</h1>");
  assert.equal(bodyOf("<h1>A</h1>\n<p>b</p>"), "<h1>A</h1>\n<p>b</p>");
});

test("the page: CSP allows only local images, inline styles and the nonce'd script", () => {
  const csp = contentSecurityPolicy("https://*.vscode-cdn.net", "abc123");
  assert.equal(csp, "default-src 'none'; img-src https://*.vscode-cdn.net; style-src 'unsafe-inline'; script-src 'nonce-abc123'; " +
    "base-uri 'none'; form-action 'none'");
  const page = previewPage("<h1>Exam</h1>", { cspSource: "https://*.vscode-cdn.net", nonce: "abc123", title: "Hand-in: README.md" });
  assert.ok(page.includes(`<meta http-equiv="Content-Security-Policy" content="${csp}">`));
  assert.ok(page.includes('<script nonce="abc123">'));
  assert.ok(page.includes("<body><h1>Exam</h1></body>"));
  assert.ok(page.includes("<title>Hand-in: README.md</title>"));
  assert.match(page, /background: #fff/);
  assert.equal((page.match(/<script/g) || []).length, 1);
});

test("messages are escaped; nonces are fresh", () => {
  assert.equal(messageBody("a <b> & c"), "<p><em>a &lt;b&gt; &amp; c</em></p>");
  const a = makeNonce();
  assert.match(a, /^[0-9a-f]{32}$/);
  assert.notEqual(a, makeNonce());
});
