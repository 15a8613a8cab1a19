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
  const fail = async (err) => {
    await page.screenshot({ path: out.replace(/\.png$/, "-failed.png") }).catch(() => {});
    throw err;
  };
  await page.goto(url);
  await page.waitForSelector(".monaco-workbench", { timeout: 60000 });
  await page.keyboard.press("Control+P");
  await page.keyboard.type("reports/README.md");
  await page.waitForSelector(".quick-input-list .monaco-list-row", { timeout: 30000 });
  await page.waitForTimeout(500);
  await page.keyboard.press("Enter");
  await page.waitForSelector(".monaco-editor .view-line", { timeout: 30000 }).catch(fail);
  // go to Question 7 (its answer is too short), then wait for reportls's squiggle there
  await page.keyboard.press("Control+G");
  await page.keyboard.type("99");
  await page.waitForSelector(".quick-input-list .monaco-list-row", { timeout: 30000 });
  await page.waitForTimeout(300);
  await page.keyboard.press("Enter");
  await page.waitForSelector(".quick-input-widget", { state: "hidden", timeout: 10000 }).catch(() => page.keyboard.press("Escape"));
  await page.waitForSelector(".squiggly-warning, .squiggly-error", { timeout: 90000 }).catch(fail);
  const line = page.locator(".view-line", { hasText: "### Question 7" }).first();
  await line.hover({ position: { x: 40, y: 8 } }); // over the heading's text, not the empty line end
  const content = page.locator(".monaco-hover-content", { hasText: "Required" }).first();
  await content.waitFor({ timeout: 20000 }).catch(fail);
  const hover = await content.innerText();
  if (!hover.includes("50-100 words")) throw new Error(`unexpected hover: ${hover}`);
  await page.screenshot({ path: out });
  console.log(`squiggles and hover seen; wrote ${out}`);
  await browser.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
