"use strict";

const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  js.configs.recommended,
  {
    files: ["**/*.js"],
    languageOptions: { sourceType: "commonjs", ecmaVersion: 2022, globals: { ...globals.node } },
    rules: { "no-unused-vars": ["error", { argsIgnorePattern: "^_" }] },
  },
  // drive.js passes functions to page.evaluate: they run in the browser
  { files: ["e2e/**/*.js"], languageOptions: { globals: { ...globals.node, ...globals.browser } } },
  { ignores: ["node_modules/**", "*.vsix", "bundled/**"] },
];
