// Open reports/README.md in code-server through headless Chromium, wait for reportls's squiggles,
// hover Question 7 and save a screenshot.  Usage: node drive.js URL OUT.png
"use strict";

const { chromium } = require("playwright-core");

async function main() {
  const [url, out] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(url);
  await page.waitForSelector(".monaco-workbench", { timeout: 60000 });
  await page.keyboard.press("Control+P");
  await page.keyboard.type("reports/README.md");
  await page.keyboard.press("Enter");
  await page.waitForSelector(".squiggly-warning, .squiggly-error", { timeout: 60000 });
  await page.keyboard.press("Control+G");
  await page.keyboard.type("99");
  await page.keyboard.press("Enter");
  const line = page.locator(".view-line", { hasText: "### Question 7" }).first();
  await line.hover();
  await page.waitForSelector(".monaco-hover-content", { timeout: 20000 });
  const hover = await page.locator(".monaco-hover-content").first().innerText();
  if (!hover.includes("50-100 words")) throw new Error(`unexpected hover: ${hover}`);
  await page.screenshot({ path: out });
  console.log(`squiggles and hover seen; wrote ${out}`);
  await browser.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
